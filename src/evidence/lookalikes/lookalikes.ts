// Gather the registered lookalikes of a domain: generate the typo and homoglyph names (pure,
// capped), then ask DNS through the scan's caching client whether each one has name servers
// (or, failing that, an address) and, if so, mail exchangers. Passive: only DNS questions any
// resolver could ask. Bounded: the generator's cap, a small number of lookups in flight, and
// the scan's deadline (names not reached count as unchecked).
import type { Evidence } from '../../checks/types.ts';
import type { DnsClient } from '../../net/dns-client.ts';
import { publicSuffix, registrableDomain } from '../../psl/public-suffix-list.ts';
import { type LookalikeEvidence, lookalikeEvidenceKind, lookalikeEvidenceSchema, type RegisteredLookalike } from './lookalike-evidence.ts';
import { defaultMaxLookalikes, type Lookalike, lookalikeDomains } from './permutations.ts';

export interface LookalikeGatherOptions {
  dns: DnsClient;
  signal?: AbortSignal;
  max?: number;
  tlds?: readonly string[];
  /** Lookups in flight at once. */
  concurrency?: number;
}

/** More failed than this share of lookups, and the evidence says the DNS failed instead. */
const maxFailureShare = 0.5;

const lowerNames = (values: unknown[]) => values.map((value) => String(value).toLowerCase().replace(/\.$/, '').slice(0, 253)).sort();

async function nameServers(dns: DnsClient, name: string): Promise<{ status: 'ok' | 'none' | 'nxdomain' | 'failed'; names: string[] }> {
  const answer = await dns.query(name, 'NS');
  if (answer.status === 'error') return { status: 'failed', names: [] };
  // The name does not exist at all: no need to ask for its address too.
  if (answer.status === 'nxdomain') return { status: 'nxdomain', names: [] };
  if (answer.status !== 'ok') return { status: 'none', names: [] };
  const names = lowerNames(answer.answers.filter((record) => record.type === 'NS').map((record) => (record as { data?: unknown }).data)).slice(0, 13);
  return { status: names.length > 0 ? 'ok' : 'none', names };
}

async function mailExchangers(dns: DnsClient, name: string): Promise<{ exchangers: string[]; nullMx: boolean; failed: boolean }> {
  const answer = await dns.mx(name);
  if (answer.status === 'error') return { exchangers: [], nullMx: false, failed: true };
  if (answer.status !== 'ok') return { exchangers: [], nullMx: false, failed: false };
  const exchangers = answer.records.map((record) => record.exchange);
  const nullMx = exchangers.length === 1 && exchangers[0] === '';
  const named = [...new Set(exchangers.filter((exchange) => exchange !== '').map((exchange) => exchange.slice(0, 253)))].sort().slice(0, 10);
  return { exchangers: nullMx ? [] : named, nullMx, failed: false };
}

const sameSet = (a: string[], b: string[]) => a.length > 0 && a.length === b.length && a.every((value, index) => value === b[index]);

export async function gatherLookalikeEvidence(domain: string, options: LookalikeGatherOptions): Promise<Evidence<LookalikeEvidence>> {
  const registrable = registrableDomain(domain);
  const suffix = publicSuffix(domain);
  const data: LookalikeEvidence = {
    domain: (registrable ?? domain).slice(0, 253),
    generated: 0,
    checked: 0,
    original: { nameServers: [], mailExchangers: [] },
    registered: [],
    dnsFailures: 0,
    complete: true,
    error: null,
  };
  const evidence = (): Evidence<LookalikeEvidence> => ({ kind: lookalikeEvidenceKind, gatheredAt: new Date().toISOString(), data: lookalikeEvidenceSchema.parse(data) });
  if (!registrable || !suffix) {
    data.error = 'not_registrable';
    return evidence();
  }
  const candidates = lookalikeDomains(registrable, suffix, { max: options.max ?? defaultMaxLookalikes, tlds: options.tlds });
  data.generated = candidates.length;
  const [ownServers, ownMail] = await Promise.all([nameServers(options.dns, registrable), mailExchangers(options.dns, registrable)]);
  data.original = { nameServers: ownServers.names, mailExchangers: ownMail.exchangers };

  const registered: RegisteredLookalike[] = [];
  const check = async (candidate: Lookalike) => {
    const servers = await nameServers(options.dns, candidate.name);
    let addresses: string[] = [];
    let failed = servers.status === 'failed';
    if (servers.status === 'none') {
      // No delegation of its own (or an odd resolver): an address record also shows it is in use.
      const address = await options.dns.a(candidate.name);
      if (address.status === 'ok') addresses = address.records.slice(0, 8).map((record) => record.slice(0, 64));
      failed = address.status === 'error';
    }
    data.checked += 1;
    if (failed) {
      data.dnsFailures += 1;
      return;
    }
    if (servers.status !== 'ok' && addresses.length === 0) return;
    const mail = await mailExchangers(options.dns, candidate.name);
    if (mail.failed) data.dnsFailures += 1;
    registered.push({
      name: candidate.name,
      unicode: candidate.unicode,
      technique: candidate.technique,
      nameServers: servers.names,
      addresses,
      mailExchangers: mail.exchangers,
      nullMx: mail.nullMx,
      likelyOwned: sameSet(servers.names, data.original.nameServers) && sameSet(mail.exchangers, data.original.mailExchangers),
    });
  };
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      if (options.signal?.aborted) {
        data.complete = false;
        return;
      }
      const candidate = candidates[next++] as Lookalike;
      try {
        await check(candidate);
      } catch {
        // Whatever DNS sent, one name never breaks the scan: it counts as a failed lookup.
        data.dnsFailures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 12, 32)) }, worker));
  data.registered = registered.sort((a, b) => a.name.localeCompare(b.name)).slice(0, 500);
  if (data.checked > 0 && data.dnsFailures / data.checked > maxFailureShare) data.error = 'dns_failure';
  return evidence();
}
