// dns.nameservers: at least two name servers (RFC 1034 section 4.1, RFC 2182), reachable by
// address, and ideally in different networks so one outage or attack does not take the whole
// domain — website and mail — off the internet. One name server fails; two names on one
// address or two addresses in one network are weaker than they look.
import { isIP } from 'node:net';
import type { NameserversEvidence } from '../../evidence/dns/nameservers-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsReason, resultFor } from './outcome.ts';

const id = 'dns.nameservers';
const version = 1;

/** The network an address is in, for diversity: its IPv4 /24 or IPv6 /48. */
export function networkOf(address: string): string {
  if (isIP(address) === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 3).map((group) => Number.parseInt(group || '0', 16).toString(16)).join(':')}::/48`;
}

export const dnsNameserversCheck: CheckDefinition<NameserversEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.nameservers',
  titleKey: 'checks.dns.nameservers.title',
  remediationKey: 'checks.dns.nameservers.remediation',
  references: [
    { title: 'RFC 2182: Selection and Operation of Secondary DNS Servers', url: 'https://www.rfc-editor.org/rfc/rfc2182' },
    { title: 'RFC 1034 section 4.1: Name servers', url: 'https://www.rfc-editor.org/rfc/rfc1034#section-4.1' },
    { title: 'SIDN: technical requirements for .nl name servers', url: 'https://www.sidn.nl/en/nl-domain-name/dns-and-name-servers' },
  ],

  judge(evidence) {
    const result = resultFor(id, version);
    const servers = evidence.nameServers;
    const addresses = [...new Set(servers.flatMap((server) => server.addresses))];
    const networks = [...new Set(addresses.map(networkOf))];
    const unresolvable = servers.filter((server) => server.addresses.length === 0).map((server) => server.name);
    const details = { domain: evidence.domain, zone: evidence.zone, nameServers: servers, addresses, networks, unresolvable, lookups: evidence.lookups };
    const names = servers.map((server) => server.name).join(', ').slice(0, 300);

    if (evidence.zone === null) {
      const failed = evidence.lookups.find((lookup) => lookup.status === 'error');
      if (failed) return result('error', 'info', `checks.dns.reason.${dnsReason(failed.failure)}`, { name: failed.name }, details);
      return result('error', 'info', 'checks.dns.nameservers.none', { domain: evidence.domain }, details);
    }
    if (servers.length < 2) return result('fail', 'medium', 'checks.dns.nameservers.single', { zone: evidence.zone, names }, details);
    if (servers.length - unresolvable.length < 2) {
      return result('warn', 'medium', 'checks.dns.nameservers.unresolvable', { zone: evidence.zone, names: unresolvable.join(', ').slice(0, 300) }, details);
    }
    if (addresses.length < 2) return result('warn', 'medium', 'checks.dns.nameservers.same_address', { zone: evidence.zone, address: addresses[0] ?? '', names }, details);
    if (networks.length < 2) return result('notice', 'low', 'checks.dns.nameservers.same_network', { zone: evidence.zone, network: networks[0] ?? '', names }, details);
    return result('pass', 'info', 'checks.dns.nameservers.pass', { zone: evidence.zone, count: servers.length, networks: networks.length, names }, details);
  },
};
