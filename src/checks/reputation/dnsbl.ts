// reputation.dnsbl: are the company's mail servers or website on a DNS blocklist? A listed mail
// server gets its mail refused or filtered as spam by receivers and often means a compromised
// account or machine is sending spam: a high-severity failure. A listed website address (often
// shared hosting) hurts its reputation too, but less directly: a warning.
import { dnsReason, resultFor } from '../dns/outcome.ts';
import type { DnsblEvidence } from '../../evidence/reputation/dnsbl-evidence.ts';
import type { CheckDefinition } from '../types.ts';

const id = 'reputation.dnsbl';
const version = 1;

const join = (values: string[]) => [...new Set(values)].join(', ').slice(0, 300);

export const reputationDnsblCheck: CheckDefinition<DnsblEvidence> = {
  id,
  version,
  area: 'network',
  owner: 'it',
  evidenceKind: 'reputation.dnsbl',
  titleKey: 'checks.reputation.dnsbl.title',
  remediationKey: 'checks.reputation.dnsbl.remediation',
  references: [
    { title: 'RFC 5782: DNS Blacklists and Whitelists', url: 'https://www.rfc-editor.org/rfc/rfc5782' },
    { title: 'Spamhaus: blocklist removal centre', url: 'https://check.spamhaus.org/' },
    { title: 'M3AAWG: Sender Best Common Practices', url: 'https://www.m3aawg.org/sites/default/files/document/M3AAWG_Senders_BCP_Ver3-2015-02.pdf' },
  ],

  judge(evidence) {
    const result = resultFor(id, version);
    const usableZones = evidence.zones.filter((zone) => zone.status === 'ok').map((zone) => zone.zone);
    const roleOf = new Map(evidence.addresses.map((entry) => [entry.address, entry.roles]));
    const mailListings = evidence.listings.filter((listing) => roleOf.get(listing.address)?.includes('mail'));
    const webListings = evidence.listings.filter((listing) => !roleOf.get(listing.address)?.includes('mail'));
    const details = { ...evidence, usableZones };

    if (mailListings.length > 0) {
      return result('fail', 'high', 'checks.reputation.dnsbl.mail_listed', { addresses: join(mailListings.map((listing) => listing.address)), zones: join(mailListings.map((listing) => listing.zone)) }, details);
    }
    if (webListings.length > 0) {
      return result('warn', 'medium', 'checks.reputation.dnsbl.web_listed', { addresses: join(webListings.map((listing) => listing.address)), zones: join(webListings.map((listing) => listing.zone)) }, details);
    }
    if (evidence.addresses.length === 0) {
      const failure = evidence.failures[0];
      if (failure) return result('error', 'info', `checks.dns.reason.${dnsReason(failure.failure)}`, { name: failure.name }, details);
      return result('info', 'info', 'checks.reputation.dnsbl.no_addresses', { domain: evidence.domain, skipped: evidence.skippedAddresses.length }, details);
    }
    if (usableZones.length === 0) return result('error', 'info', 'checks.reputation.dnsbl.unavailable', { zones: join(evidence.zones.map((zone) => zone.zone)) }, details);
    // Some lookups failed: not listed where we could see, but not a clean bill either.
    if (evidence.failures.length > 0) {
      return result('error', 'info', 'checks.reputation.dnsbl.incomplete', { count: evidence.addresses.length, zones: join(usableZones), failed: evidence.failures.length }, details);
    }
    return result('pass', 'info', 'checks.reputation.dnsbl.pass', { count: evidence.addresses.length, zones: join(usableZones) }, details);
  },
};
