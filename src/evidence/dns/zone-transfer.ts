// Gather dns.zone-transfer (an active probe): ask every name server of the domain's zone, over
// TCP at each allowed address, for a full zone transfer (AXFR, RFC 5936) and read only the first
// reply message (at most 64 KiB): enough to see whether the server hands out the zone.
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import { assertTargetAllowed } from '../../net/address-policy.ts';
import { tcpExchange } from '../../net/dnssec/transport.ts';
import { encodeQuery, parseMessage, Rcode, RecordType, WireError } from '../../net/dnssec/wire.ts';
import { type NameServerDns, zoneNameServers } from './nameservers.ts';
import { type ZoneTransferEvidence, zoneTransferEvidenceKind, zoneTransferEvidenceSchema } from './zone-transfer-evidence.ts';

export interface ZoneTransferGatherOptions {
  dns: NameServerDns;
  allowPrivate: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Port of the name servers (53; tests may differ). */
  port?: number;
}

type Attempt = ZoneTransferEvidence['attempts'][number];

const maxAttempts = 20;
const concurrency = 4;

async function tryTransfer(zone: string, nameServer: string, address: string, options: ZoneTransferGatherOptions): Promise<Attempt> {
  const attempt: Attempt = { nameServer, address, outcome: 'unreachable', rcode: null, records: null, sample: [], detail: null };
  try {
    assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'target_refused') throw error;
    return { ...attempt, outcome: 'not_allowed' };
  }
  const query = encodeQuery(randomInt(0, 65_536), zone, RecordType.AXFR, { recursionDesired: false });
  const reply = await tcpExchange({ host: address, port: options.port ?? 53 }, query, options.timeoutMs, options.signal);
  if ('failure' in reply) {
    const outcome = reply.failure === 'timeout' ? (reply.detail === 'tcp read' ? 'no_answer' : 'unreachable') : reply.detail === 'closed before a full reply' ? 'closed' : reply.failure === 'malformed' ? 'malformed' : 'unreachable';
    return { ...attempt, outcome, detail: reply.detail.slice(0, 200) };
  }
  try {
    const message = parseMessage(reply.reply);
    const first = message.answers[0];
    const allowed = message.rcode === Rcode.NOERROR && first?.type === RecordType.SOA && first.name === zone;
    return {
      ...attempt,
      outcome: allowed ? 'allowed' : 'refused',
      rcode: message.rcode,
      records: allowed ? message.answers.length : null,
      sample: allowed ? [...new Set(message.answers.map((record) => record.name))].slice(0, 10) : [],
    };
  } catch (error) {
    return { ...attempt, outcome: 'malformed', detail: error instanceof WireError ? error.message : 'unparsable reply' };
  }
}

export async function gatherZoneTransferEvidence(domain: string, options: ZoneTransferGatherOptions): Promise<Evidence<ZoneTransferEvidence>> {
  const facts = await zoneNameServers(options.dns, domain);
  const targets: Array<{ nameServer: string; address: string }> = [];
  for (const server of facts.nameServers) {
    // One IPv4 and one IPv6 address per name server is enough to see its configuration.
    const ipv4 = server.addresses.find((address) => isIP(address) === 4);
    const ipv6 = server.addresses.find((address) => isIP(address) === 6);
    for (const address of [ipv4, ipv6]) if (address) targets.push({ nameServer: server.name, address });
  }
  const attempts: Attempt[] = [];
  const queue = targets.slice(0, maxAttempts);
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (facts.zone === null) break;
      attempts.push(await tryTransfer(facts.zone, next.nameServer, next.address, options));
    }
  });
  await Promise.all(workers);
  attempts.sort((a, b) => a.nameServer.localeCompare(b.nameServer) || a.address.localeCompare(b.address));
  return {
    kind: zoneTransferEvidenceKind,
    gatheredAt: new Date().toISOString(),
    data: zoneTransferEvidenceSchema.parse({ domain, zone: facts.zone, lookups: facts.lookups, attempts }),
  };
}
