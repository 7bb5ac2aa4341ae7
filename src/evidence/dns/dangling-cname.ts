// Gather dns.dangling-cname: look for CNAMEs that point at something that is gone. Candidates
// are the subdomains the organisation declared, common names (www, shop, blog, …), and the names
// Certificate Transparency lists where a CT source is configured and reachable. For each alias
// the CNAME chain is followed to its final target, which must resolve; a target at a known cloud
// service is then confirmed with the service's own signal: NXDOMAIN where that is enough to
// claim it, or the text the service serves for an unclaimed name, fetched with the bounded
// HTTP client exactly as a visitor's browser would ask (http://<alias>/).
import { getDomain } from 'tldts';
import type { Evidence } from '../../checks/types.ts';
import type { DnsClient } from '../../net/dns-client.ts';
import { fetchChain, type FetchOptions } from '../../net/http-client.ts';
import { certificateTransparencyNames } from './certificate-transparency.ts';
import { type AliasFacts, type DanglingCnameEvidence, danglingCnameEvidenceKind, danglingCnameEvidenceSchema } from './dangling-cname-evidence.ts';
import { matchingFingerprint, serviceFor, takeoverServices } from './takeover-services.ts';

/** Host names that small organisations commonly point at hosted services. */
export const commonSubdomains = [
  'www', 'mail', 'webmail', 'autodiscover', 'remote', 'vpn', 'portal', 'intranet', 'shop', 'webshop', 'winkel', 'blog',
  'docs', 'help', 'support', 'status', 'app', 'api', 'dev', 'test', 'staging', 'acc', 'acceptatie', 'beta', 'demo',
  'old', 'oud', 'new', 'nieuw', 'cdn', 'static', 'assets', 'media', 'files', 'login', 'crm', 'werkenbij', 'events',
];

export interface DanglingCnameGatherOptions extends Pick<FetchOptions, 'resolver' | 'allowPrivate' | 'timeoutMs' | 'extraCa' | 'signal'> {
  dns: Pick<DnsClient, 'query' | 'a' | 'aaaa'>;
  /** Subdomains the organisation declared (full names or labels below the domain). */
  subdomains?: string[];
  /** crt.sh-compatible CT search; null: no Certificate Transparency. */
  certificateTransparencyUrl: string | null;
}

const maxCandidates = 150;
const maxChain = 8;
const maxFingerprintFetches = 10;
const lookupConcurrency = 8;
const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

type Source = AliasFacts['sources'][number];

function candidateNames(domain: string, options: DanglingCnameGatherOptions, ctNames: string[]): Map<string, Set<Source>> {
  const candidates = new Map<string, Set<Source>>();
  const add = (raw: string, source: Source) => {
    const trimmed = canonical(raw.trim());
    const name = trimmed.endsWith(`.${domain}`) || trimmed === domain ? trimmed : `${trimmed}.${domain}`;
    if (!/^[a-z0-9._-]+$/.test(name) || name.length > 253 || name === domain) return;
    if (!candidates.has(name) && candidates.size >= maxCandidates) return;
    const sources = candidates.get(name) ?? new Set<Source>();
    sources.add(source);
    candidates.set(name, sources);
  };
  for (const name of (options.subdomains ?? []).slice(0, 100)) add(name, 'declared');
  for (const name of ctNames) add(name, 'certificate_transparency');
  for (const label of commonSubdomains) add(label, 'common');
  return candidates;
}

async function fingerprintOf(alias: string, service: NonNullable<ReturnType<typeof serviceFor>>, options: DanglingCnameGatherOptions): Promise<NonNullable<AliasFacts['fingerprint']>> {
  let last: NonNullable<AliasFacts['fingerprint']> = { url: `http://${alias}/`, status: null, matched: null, failure: 'no_response' };
  for (const url of [`http://${alias}/`, `https://${alias}/`]) {
    const fetched = await fetchChain(url, { ...options, maxRedirects: 3, maxBodyBytes: 64 * 1024 });
    const final = fetched.final;
    if (!final) {
      last = { url, status: null, matched: null, failure: (fetched.error ?? 'no_response').slice(0, 64) };
      if (fetched.error === 'connection_refused' || fetched.error === 'connection_failed') continue;
      return last;
    }
    const matched = matchingFingerprint(service, final.body ?? '');
    return { url, status: final.status, matched: matched?.slice(0, 200) ?? null, failure: null };
  }
  return last;
}

export async function gatherDanglingCnameEvidence(domain: string, options: DanglingCnameGatherOptions): Promise<Evidence<DanglingCnameEvidence>> {
  const ct =
    options.certificateTransparencyUrl === null
      ? { status: 'off' as const, names: [] as string[], detail: null }
      : await certificateTransparencyNames(domain, options.certificateTransparencyUrl, options);
  const candidates = candidateNames(domain, options, ct.names);
  const data: DanglingCnameEvidence = {
    domain,
    sources: {
      declared: [...candidates.values()].filter((sources) => sources.has('declared')).length,
      common: [...candidates.values()].filter((sources) => sources.has('common')).length,
      certificateTransparency: { status: ct.status, names: ct.names.length, detail: ct.detail?.slice(0, 100) ?? null },
    },
    checked: candidates.size,
    failedCount: 0,
    failedLookups: [],
    aliases: [],
  };

  await pool([...candidates.entries()], lookupConcurrency, async ([name, sources]) => {
    const chain: string[] = [];
    let current = name;
    let loop = false;
    for (let step = 0; step < maxChain; step += 1) {
      const answer = await options.dns.query(current, 'CNAME');
      if (answer.status === 'error') {
        if (step === 0) {
          data.failedCount += 1;
          if (data.failedLookups.length < 20) data.failedLookups.push({ name, failure: String(answer.failure ?? 'error').slice(0, 64) });
          return;
        }
        break;
      }
      const record = answer.answers.find((entry) => entry.type === 'CNAME' && canonical(entry.name) === current);
      if (!record) break;
      const target = canonical(String((record as { data?: unknown }).data ?? ''));
      if (chain.includes(target) || target === name) {
        loop = true;
        break;
      }
      chain.push(target);
      current = target;
    }
    if (chain.length === 0) return; // not an alias
    const final = chain[chain.length - 1] as string;
    const alias: AliasFacts = { name, sources: [...sources], chain, targetStatus: 'resolves', targetDomainExists: null, service: null, fingerprint: null, verdict: 'ok' };
    const service = chain.map((target) => serviceFor(target, takeoverServices)).find(Boolean);
    alias.service = service?.id ?? null;
    if (loop) {
      alias.targetStatus = 'loop';
      alias.verdict = 'dangling';
    } else {
      const [ipv4, ipv6] = await Promise.all([options.dns.a(final), options.dns.aaaa(final)]);
      const resolves = ipv4.status === 'ok' || ipv6.status === 'ok';
      alias.targetStatus = resolves ? 'resolves' : ipv4.status === 'nxdomain' ? 'nxdomain' : ipv4.status === 'error' || ipv6.status === 'error' ? 'error' : 'nodata';
    }
    if (alias.targetStatus === 'nxdomain') {
      // Is the target's registered domain itself unregistered? Then anyone can register it.
      const registered = getDomain(final, { allowPrivateDomains: false });
      if (registered && registered !== final) {
        const soa = await options.dns.query(registered, 'SOA');
        alias.targetDomainExists = soa.status === 'error' ? null : soa.status !== 'nxdomain';
      }
      if (alias.targetDomainExists === false) alias.verdict = 'unregistered';
      else if (service?.nxdomain) alias.verdict = 'takeover';
      else alias.verdict = 'dangling';
    } else if (alias.targetStatus === 'error') {
      alias.verdict = 'unknown';
    } else if (alias.targetStatus === 'nodata') {
      alias.verdict = service?.nxdomain ? 'takeover' : 'dangling';
    }
    data.aliases.push(alias);
  });

  // Confirm hosted services that signal "unclaimed" in their response, a few at a time.
  const toFetch = data.aliases.filter((alias) => alias.targetStatus === 'resolves' && alias.service !== null).slice(0, maxFingerprintFetches);
  await pool(toFetch, 4, async (alias) => {
    const service = takeoverServices.find((candidate) => candidate.id === alias.service);
    if (!service || service.fingerprints.length === 0) return;
    alias.fingerprint = await fingerprintOf(alias.name, service, options);
    if (alias.fingerprint.matched) alias.verdict = 'takeover';
  });

  data.aliases.sort((a, b) => a.name.localeCompare(b.name));
  data.failedLookups.sort((a, b) => a.name.localeCompare(b.name));
  return { kind: danglingCnameEvidenceKind, gatheredAt: new Date().toISOString(), data: danglingCnameEvidenceSchema.parse(data) };
}
