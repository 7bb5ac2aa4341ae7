// Gather mail.mx: the domain's MX records, then for every MX host (concurrently) its addresses,
// its TLSA records (_25._tcp.<mx>, RFC 7672) and one SMTP session to its first allowed address
// (greeting, EHLO, STARTTLS, TLS with SNI = the MX name). When the handshake works, the TLS
// versions below the negotiated one are tried one by one with pinned handshakes. Every step is
// bounded; every failure is a fact in the evidence, never an exception.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { TlsaData } from 'dns-packet';
import { mailProviderOf } from '../../checks/mail/mx-providers.ts';
import type { Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import { assertTargetAllowed } from '../../net/address-policy.ts';
import { probeSmtp, type SmtpProbeResult } from '../../net/smtp-probe.ts';
import { certificateDigests, describeLeaf } from './certificates.ts';
import { type MailDns, mxFacts } from './lookups.ts';
import {
  maxMxHosts,
  type MxCertificate,
  type MxEvidence,
  mxEvidenceKind,
  mxEvidenceSchema,
  type MxHost,
  type SmtpSession,
  type TlsVersionName,
  tlsVersionNames,
  type VersionProbe,
} from './mx-evidence.ts';

export interface MxGatherOptions {
  dns: MailDns;
  allowPrivate: boolean;
  /** Bound for each network step (DNS question, connect, each SMTP reply, handshake). */
  timeoutMs: number;
  extraCa?: string[];
  signal?: AbortSignal;
  /** Try which TLS versions each MX accepts (default true; skipped for hosted mail). */
  probeVersions?: boolean;
  port?: number;
  heloName?: string;
  /**
   * DNSSEC status of an RRset from a validator elsewhere; by default the resolver's AD bit
   * (true when set, null — unknown — when not: a non-validating resolver never sets it).
   */
  dnssecSecure?: (name: string, type: 'MX' | 'TLSA') => Promise<boolean | null>;
}

const bounded = (value: unknown, max = 256): string => String(value ?? '').slice(0, max);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function addressesOf(dns: MailDns, host: string): Promise<{ addresses: string[]; failure: string | null }> {
  const [ipv4, ipv6] = await Promise.all([dns.a(host), dns.aaaa(host)]);
  const addresses = [...(ipv4.status === 'ok' ? ipv4.records : []), ...(ipv6.status === 'ok' ? ipv6.records : [])]
    .filter((address) => isIP(address) !== 0)
    .slice(0, 16);
  if (addresses.length > 0) return { addresses, failure: null };
  const failed = [ipv4, ipv6].find((lookup) => lookup.status === 'error');
  return { addresses, failure: failed?.status === 'error' ? failed.failure : 'no_address' };
}

async function tlsaOf(options: MxGatherOptions, host: string): Promise<NonNullable<MxHost['tlsa']>> {
  const name = `_25._tcp.${host}`;
  const answer = await options.dns.query(name, 'TLSA', { dnssecOk: true });
  const records = answer.answers
    .filter((record) => record.type === 'TLSA')
    .slice(0, 20)
    .map((record) => {
      const data = (record as { data: TlsaData }).data;
      const bytes = Buffer.isBuffer(data.certificate) ? data.certificate : Buffer.alloc(0);
      return { usage: data.usage, selector: data.selector, matchingType: data.matchingType, data: bytes.toString('hex').slice(0, 1024), dataSha256: sha256(bytes) };
    });
  const validated = options.dnssecSecure ? await options.dnssecSecure(name, 'TLSA') : answer.authenticated ? true : null;
  return {
    status: answer.status,
    failure: answer.status === 'error' ? bounded(answer.failure ?? 'error', 64) : null,
    records: answer.status === 'ok' ? records : [],
    secure: validated,
  };
}

function sessionOf(result: SmtpProbeResult, host: string): SmtpSession {
  let tls: SmtpSession['tls'] = null;
  if (result.tls) {
    const chain = result.tls.chain.flatMap((der) => {
      try {
        return [{ subject: describeLeaf(der, host).subject, ...certificateDigests(der) }];
      } catch {
        return [];
      }
    });
    let certificate: MxCertificate | null = null;
    try {
      certificate = result.tls.chain[0] ? describeLeaf(result.tls.chain[0], host) : null;
    } catch {
      certificate = null;
    }
    tls = { protocol: result.tls.protocol, cipher: result.tls.cipher, chainTrusted: result.tls.chainTrusted, chainError: result.tls.chainError, certificate, chain };
  }
  return {
    address: result.address,
    greetingCode: result.greeting?.code ?? null,
    greeting: result.greeting ? bounded(result.greeting.lines[0], 512) : null,
    extensions: result.extensions.slice(0, 64),
    starttlsOffered: result.starttlsOffered,
    bytesAfterStarttls: result.bytesAfterStarttls,
    failure: result.failure,
    failureStage: result.failureStage,
    failureDetail: result.failureDetail,
    durationMs: Math.round(result.durationMs),
    tls,
    versions: null,
  };
}

/** Which versions a server accepts: those above the negotiated one were offered and declined. */
async function probeVersions(negotiated: string, probe: (version: TlsVersionName) => Promise<SmtpProbeResult>): Promise<VersionProbe[]> {
  const index = tlsVersionNames.indexOf(negotiated as TlsVersionName);
  if (index === -1) return [];
  const below = tlsVersionNames.slice(0, index);
  const probed = await Promise.all(
    below.map(async (version): Promise<VersionProbe> => {
      const result = await probe(version);
      if (result.failure === null) {
        return result.tls?.protocol === version
          ? { version, outcome: 'accepted', detail: null }
          : { version, outcome: 'error', detail: bounded(`negotiated ${result.tls?.protocol}`) };
      }
      if (result.failure === 'handshake_failed') return { version, outcome: 'refused', detail: result.failureDetail };
      return { version, outcome: 'error', detail: bounded(`${result.failure} ${result.failureDetail ?? ''}`.trim()) };
    }),
  );
  const above = tlsVersionNames.slice(index + 1).map((version): VersionProbe => ({ version, outcome: 'refused', detail: 'offered, not chosen' }));
  return [...probed, { version: negotiated as TlsVersionName, outcome: 'accepted', detail: null }, ...above];
}

async function gatherHost(options: MxGatherOptions, name: string, preference: number): Promise<MxHost> {
  const [lookup, tlsa] = await Promise.all([addressesOf(options.dns, name), tlsaOf(options, name)]);
  const host: MxHost = { name: bounded(name, 253), preference, addresses: lookup.addresses, refusedAddresses: [], addressFailure: lookup.failure, sessions: [], tlsa };
  const allowed: string[] = [];
  for (const address of lookup.addresses) {
    try {
      assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
      allowed.push(address);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'target_refused') throw error;
      host.refusedAddresses.push(address);
    }
  }
  const address = allowed[0];
  if (address === undefined) return host;

  const probe = (pinned?: TlsVersionName) =>
    probeSmtp({
      address,
      port: options.port,
      serverName: name,
      allowPrivate: options.allowPrivate,
      stepTimeoutMs: options.timeoutMs,
      extraCa: options.extraCa,
      signal: options.signal,
      heloName: options.heloName,
      ...(pinned ? { minVersion: pinned, maxVersion: pinned, collectChain: false } : {}),
    });
  const main = await probe();
  const session = sessionOf(main, name);
  const hosted = mailProviderOf(name) !== null;
  if ((options.probeVersions ?? true) && !hosted && main.tls?.protocol) {
    session.versions = await probeVersions(main.tls.protocol, (version) => probe(version));
  }
  host.sessions.push(session);
  return host;
}

/** Never throws: an unexpected failure becomes evidence of a failed lookup (`internal`). */
export async function gatherMxEvidence(domain: string, options: MxGatherOptions): Promise<Evidence<MxEvidence>> {
  try {
    return await gatherMx(domain, options);
  } catch {
    const data: MxEvidence = { domain: bounded(domain, 253), lookup: { status: 'error', failure: 'internal' }, nullMx: false, mxSecure: null, records: [], hosts: [], truncated: false };
    return { kind: mxEvidenceKind, gatheredAt: new Date().toISOString(), data };
  }
}

async function gatherMx(domain: string, options: MxGatherOptions): Promise<Evidence<MxEvidence>> {
  const mx = await mxFacts(options.dns, domain);
  const preferenceOf = new Map<string, number>();
  for (const record of mx.records) if (!preferenceOf.has(record.exchange)) preferenceOf.set(record.exchange, record.preference);
  const probed = mx.nullMx ? [] : mx.hosts.slice(0, maxMxHosts);
  const [hosts, mxSecure] = await Promise.all([
    Promise.all(probed.map((name) => gatherHost(options, name, preferenceOf.get(name) ?? 0))),
    mx.lookup.status === 'ok' && options.dnssecSecure ? options.dnssecSecure(domain, 'MX') : Promise.resolve(null),
  ]);
  const data: MxEvidence = {
    domain: bounded(domain, 253),
    lookup: mx.lookup,
    nullMx: mx.nullMx,
    mxSecure,
    records: mx.records.map((record) => ({ preference: record.preference, exchange: bounded(record.exchange, 253) })),
    hosts,
    truncated: mx.hosts.length > probed.length,
  };
  return { kind: mxEvidenceKind, gatheredAt: new Date().toISOString(), data: mxEvidenceSchema.parse(data) };
}
