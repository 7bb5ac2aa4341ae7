// dns.zone-transfer: a name server that hands the whole zone (AXFR) to anyone gives attackers
// a map of every host name — internal systems, test sites, forgotten servers. Allowed is a
// high-severity failure; refused (or hanging up) at every reachable server passes.
import type { ZoneTransferEvidence } from '../../evidence/dns/zone-transfer-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsReason, resultFor } from './outcome.ts';

const id = 'dns.zone-transfer';
const version = 1;

export const dnsZoneTransferCheck: CheckDefinition<ZoneTransferEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.zone-transfer',
  titleKey: 'checks.dns.zone-transfer.title',
  remediationKey: 'checks.dns.zone-transfer.remediation',
  references: [
    { title: 'RFC 5936: DNS Zone Transfer Protocol (AXFR)', url: 'https://www.rfc-editor.org/rfc/rfc5936' },
    { title: 'CISA: DNS zone transfer AXFR requests may leak domain information', url: 'https://www.cisa.gov/news-events/alerts/2015/04/13/dns-zone-transfer-axfr-requests-may-leak-domain-information' },
    { title: 'CIS Controls v8, safeguard 4.1: secure configuration process', url: 'https://www.cisecurity.org/controls/secure-configuration-of-enterprise-assets-and-software' },
  ],

  judge(evidence) {
    const result = resultFor(id, version);
    const attempts = evidence.attempts;
    const details = { domain: evidence.domain, zone: evidence.zone, attempts, lookups: evidence.lookups };
    if (evidence.zone === null) {
      const failed = evidence.lookups.find((lookup) => lookup.status === 'error');
      if (failed) return result('error', 'info', `checks.dns.reason.${dnsReason(failed.failure)}`, { name: failed.name }, details);
      return result('error', 'info', 'checks.dns.nameservers.none', { domain: evidence.domain }, details);
    }
    const allowed = attempts.filter((attempt) => attempt.outcome === 'allowed');
    if (allowed.length > 0) {
      const servers = [...new Set(allowed.map((attempt) => `${attempt.nameServer} (${attempt.address})`))].join(', ').slice(0, 300);
      return result('fail', 'high', 'checks.dns.zone-transfer.allowed', { zone: evidence.zone, servers, records: Math.max(...allowed.map((attempt) => attempt.records ?? 0)) }, details);
    }
    const refused = attempts.filter((attempt) => attempt.outcome === 'refused' || attempt.outcome === 'closed');
    const tested = attempts.filter((attempt) => attempt.outcome !== 'not_allowed');
    if (refused.length > 0) {
      return result('pass', 'info', 'checks.dns.zone-transfer.pass', { zone: evidence.zone, refused: refused.length, tested: tested.length }, details);
    }
    if (tested.length === 0) return result('error', 'info', 'checks.dns.zone-transfer.untested', { zone: evidence.zone }, details);
    return result('error', 'info', 'checks.dns.zone-transfer.unreachable', { zone: evidence.zone }, details);
  },
};
