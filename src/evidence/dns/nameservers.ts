// Gather dns.nameservers: the NS set of the zone the domain lives in (the domain itself, or the
// closest parent that has one) and every name server's addresses.
import type { Evidence } from '../../checks/types.ts';
import type { DnsClient, DnsLookup } from '../../net/dns-client.ts';
import { type LookupFacts, type NameServerFacts, type NameserversEvidence, nameserversEvidenceKind, nameserversEvidenceSchema } from './nameservers-evidence.ts';

export type NameServerDns = Pick<DnsClient, 'query' | 'a' | 'aaaa'>;

const maxNameServers = 20;
const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

export interface ZoneNameServers {
  zone: string | null;
  lookups: LookupFacts[];
  nameServers: NameServerFacts[];
}

const failureOf = (lookup: { status: string; failure?: string }) => (lookup.status === 'error' ? String(lookup.failure ?? 'error').slice(0, 64) : null);

async function addressesOf(dns: NameServerDns, host: string): Promise<NameServerFacts> {
  const [ipv4, ipv6] = await Promise.all([dns.a(host), dns.aaaa(host)]);
  const records = (lookup: DnsLookup<string>) => (lookup.status === 'ok' ? lookup.records : []);
  const addresses = [...records(ipv4), ...records(ipv6)].slice(0, 16);
  const failed = [ipv4, ipv6].find((lookup) => lookup.status === 'error');
  const failure = addresses.length > 0 ? null : failed?.status === 'error' ? failed.failure : 'no_address';
  return { name: host, addresses, failure };
}

/** The NS set of the domain's zone; shared by the name-server and zone-transfer gatherers. */
export async function zoneNameServers(dns: NameServerDns, domain: string): Promise<ZoneNameServers> {
  const lookups: LookupFacts[] = [];
  const labels = domain.split('.');
  for (let start = 0; start < labels.length - 1; start += 1) {
    const name = labels.slice(start).join('.');
    const answer = await dns.query(name, 'NS');
    lookups.push({ name, status: answer.status, failure: failureOf(answer) });
    if (answer.status === 'error' || answer.status === 'nxdomain') break;
    const hosts = [
      ...new Set(
        answer.answers
          .filter((record) => record.type === 'NS' && canonical(record.name) === name)
          .map((record) => canonical(String((record as { data?: unknown }).data ?? '')))
          .filter((host) => host !== ''),
      ),
    ]
      .sort()
      .slice(0, maxNameServers);
    if (hosts.length > 0) return { zone: name, lookups, nameServers: await Promise.all(hosts.map((host) => addressesOf(dns, host))) };
  }
  return { zone: null, lookups, nameServers: [] };
}

export async function gatherNameserversEvidence(domain: string, options: { dns: NameServerDns }): Promise<Evidence<NameserversEvidence>> {
  const facts = await zoneNameServers(options.dns, domain);
  return { kind: nameserversEvidenceKind, gatheredAt: new Date().toISOString(), data: nameserversEvidenceSchema.parse({ domain, ...facts }) };
}
