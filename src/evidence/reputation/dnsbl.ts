// Gather reputation.dnsbl: the public addresses of the domain's mail servers (MX) and website
// (the domain and www), each looked up in the configured DNS blocklists (RFC 5782: the address
// reversed under the zone; an A answer in 127.0.0.0/8 means listed, TXT says why). Every zone is
// first checked with its test entries, so a zone that is gone, refuses our resolver or lists
// everything does not produce false verdicts.
import { isIP } from 'node:net';
import type { Evidence } from '../../checks/types.ts';
import { isPublicAddress } from '../../net/address-policy.ts';
import type { DnsClient, DnsLookup } from '../../net/dns-client.ts';
import { type DnsblEvidence, dnsblEvidenceKind, dnsblEvidenceSchema } from './dnsbl-evidence.ts';

export type DnsblDns = Pick<DnsClient, 'a' | 'aaaa' | 'mx' | 'txt'>;

export interface DnsblGatherOptions {
  dns: DnsblDns;
  zones: string[];
  /** Look up non-public addresses too (tests, demo). */
  allowPrivate: boolean;
}

const maxMxHosts = 5;
const maxAddresses = 32;
const concurrency = 8;

function expandIpv6(address: string): string {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return groups.map((group) => group.padStart(4, '0')).join('');
}

/** The DNSBL query name of an address (RFC 5782 sections 2.1 and 2.4). */
export function dnsblName(address: string, zone: string): string {
  if (isIP(address) === 4) return `${address.split('.').reverse().join('.')}.${zone}`;
  return `${expandIpv6(address).split('').reverse().join('.')}.${zone}`;
}

const isLoopbackCode = (code: string) => code.startsWith('127.');
const isRefusalCode = (code: string) => code.startsWith('127.255.255.');

async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

async function addressesOf(dns: DnsblDns, host: string): Promise<{ addresses: string[]; failure?: string }> {
  const [ipv4, ipv6] = await Promise.all([dns.a(host), dns.aaaa(host)]);
  const records = (lookup: DnsLookup<string>) => (lookup.status === 'ok' ? lookup.records : []);
  const failed = [ipv4, ipv6].find((lookup) => lookup.status === 'error');
  return { addresses: [...records(ipv4), ...records(ipv6)], ...(failed?.status === 'error' ? { failure: failed.failure } : {}) };
}

export async function gatherDnsblEvidence(domain: string, options: DnsblGatherOptions): Promise<Evidence<DnsblEvidence>> {
  const { dns } = options;
  const data: DnsblEvidence = { domain, zones: [], addresses: [], skippedAddresses: [], listings: [], failures: [] };
  const fail = (name: string, failure: string) => {
    if (data.failures.length < 20) data.failures.push({ name, failure: failure.slice(0, 64) });
  };

  // Which addresses, in which role.
  const mx = await dns.mx(domain);
  if (mx.status === 'error') fail(domain, mx.failure);
  const mailHosts = mx.status === 'ok' ? [...new Set(mx.records.sort((a, b) => a.preference - b.preference).map((record) => record.exchange).filter(Boolean))].slice(0, maxMxHosts) : [];
  const hosts: Array<{ host: string; role: 'mail' | 'web' }> = [...mailHosts.map((host) => ({ host, role: 'mail' as const })), { host: domain, role: 'web' }, { host: `www.${domain}`, role: 'web' }];
  const byAddress = new Map<string, DnsblEvidence['addresses'][number]>();
  for (const { host, role } of hosts) {
    const found = await addressesOf(dns, host);
    if (found.failure && found.addresses.length === 0) fail(host, found.failure);
    for (const address of found.addresses) {
      if (!options.allowPrivate && !isPublicAddress(address)) {
        if (!data.skippedAddresses.includes(address) && data.skippedAddresses.length < maxAddresses) data.skippedAddresses.push(address);
        continue;
      }
      const entry = byAddress.get(address) ?? { address, roles: [], hosts: [] };
      if (!entry.roles.includes(role)) entry.roles.push(role);
      if (!entry.hosts.includes(host) && entry.hosts.length < 10) entry.hosts.push(host);
      if (byAddress.size < maxAddresses || byAddress.has(address)) byAddress.set(address, entry);
    }
  }
  data.addresses = [...byAddress.values()];

  // Which zones answer sensibly (RFC 5782 section 5: 127.0.0.2 listed, 127.0.0.1 not).
  const zones = [...new Set(options.zones.map((zone) => zone.toLowerCase().replace(/\.$/, '')).filter(Boolean))].slice(0, 20);
  data.zones = await pool(zones, concurrency, async (zone) => {
    const [listed, notListed] = await Promise.all([dns.a(dnsblName('127.0.0.2', zone)), dns.a(dnsblName('127.0.0.1', zone))]);
    if (listed.status === 'error') return { zone, status: 'unavailable' as const, detail: listed.failure };
    const codes = listed.status === 'ok' ? listed.records : [];
    if (codes.some(isRefusalCode)) return { zone, status: 'refused' as const, detail: codes.join(', ').slice(0, 100) };
    if (!codes.some(isLoopbackCode)) return { zone, status: 'unavailable' as const, detail: 'test entry 127.0.0.2 not listed' };
    if (notListed.status === 'ok' && notListed.records.some(isLoopbackCode)) return { zone, status: 'lists_everything' as const, detail: notListed.records.join(', ').slice(0, 100) };
    return { zone, status: 'ok' as const, detail: null };
  });

  const usable = data.zones.filter((zone) => zone.status === 'ok').map((zone) => zone.zone);
  const lookups = data.addresses.flatMap((entry) => usable.map((zone) => ({ address: entry.address, zone })));
  const results = await pool(lookups, concurrency, async ({ address, zone }) => {
    const name = dnsblName(address, zone);
    const answer = await dns.a(name);
    if (answer.status === 'error') {
      fail(name, answer.failure);
      return undefined;
    }
    const codes = answer.status === 'ok' ? answer.records.filter((code) => isLoopbackCode(code) && !isRefusalCode(code)) : [];
    if (codes.length === 0) return undefined;
    const txt = await dns.txt(name);
    const reason = txt.status === 'ok' ? txt.records.join(' ').slice(0, 500) : null;
    return { address, zone, codes: codes.slice(0, 10), reason };
  });
  data.listings = results.filter((listing): listing is NonNullable<typeof listing> => listing !== undefined).slice(0, 200);
  return { kind: dnsblEvidenceKind, gatheredAt: new Date().toISOString(), data: dnsblEvidenceSchema.parse(data) };
}
