// dns.caa: does the domain say which certificate authorities may issue certificates for it
// (RFC 8659)? Without CAA any CA may; with it, a mis-issued certificate from another CA is much
// harder to get. Recommended, not required (internet.nl: recommendation), so missing is a
// notice. A critical property no CA understands makes every CA refuse: certificate renewals
// stop, so that is a warning.
import type { CaaEvidence } from '../../evidence/dns/caa-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsReason, resultFor } from './outcome.ts';

const id = 'dns.caa';
const version = 1;
const knownTags = new Set(['issue', 'issuewild', 'iodef', 'issuemail', 'contactemail', 'contactphone', 'issuevmc']);

/** The CA domain an `issue`/`issuewild` value names; '' means "no CA may issue". */
export function issuerOf(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

export const dnsCaaCheck: CheckDefinition<CaaEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.caa',
  titleKey: 'checks.dns.caa.title',
  remediationKey: 'checks.dns.caa.remediation',
  references: [
    { title: 'RFC 8659: DNS Certification Authority Authorization (CAA) Resource Record', url: 'https://www.rfc-editor.org/rfc/rfc8659' },
    { title: 'Internet.nl: CAA', url: 'https://internet.nl/faqs/https/' },
    { title: "Let's Encrypt: Certificate Authority Authorization (CAA)", url: 'https://letsencrypt.org/docs/caa/' },
  ],

  judge(evidence) {
    const result = resultFor(id, version);
    const issue = evidence.records.filter((record) => record.tag === 'issue' || record.tag === 'issuewild');
    const issuers = [...new Set(issue.map((record) => issuerOf(record.value) || ';'))];
    const criticalUnknown = evidence.records.filter((record) => (record.flags & 128) !== 0 && !knownTags.has(record.tag));
    const details = {
      domain: evidence.domain,
      foundAt: evidence.foundAt,
      records: evidence.records,
      issuers,
      iodef: evidence.records.some((record) => record.tag === 'iodef'),
      lookups: evidence.lookups,
    };
    const failed = evidence.lookups.find((lookup) => lookup.status === 'error');
    if (failed && evidence.foundAt === null) {
      return result('error', 'info', `checks.dns.reason.${dnsReason(failed.failure)}`, { name: failed.name }, details);
    }
    if (evidence.foundAt === null) return result('notice', 'low', 'checks.dns.caa.missing', { domain: evidence.domain }, details);
    if (criticalUnknown.length > 0) {
      return result('warn', 'medium', 'checks.dns.caa.critical_unknown', { tags: criticalUnknown.map((record) => record.tag).join(', ').slice(0, 200) }, details);
    }
    if (issue.length === 0) return result('notice', 'low', 'checks.dns.caa.no_issue', { name: evidence.foundAt }, details);
    const names = issuers.map((issuer) => (issuer === ';' ? '—' : issuer)).join(', ').slice(0, 300);
    if (issuers.every((issuer) => issuer === ';')) return result('pass', 'info', 'checks.dns.caa.no_ca', { name: evidence.foundAt }, details);
    return result('pass', 'info', 'checks.dns.caa.pass', { name: evidence.foundAt, issuers: names }, details);
  },
};
