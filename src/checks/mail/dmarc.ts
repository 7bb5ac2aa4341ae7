// mail.dmarc: does the domain publish one valid DMARC policy that tells receivers to quarantine
// or reject mail that fails SPF and DKIM, with reports going where they are allowed to go?
import type { DmarcEvidence } from '../../evidence/mail/dmarc-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'mail.dmarc';
const version = 1;

export const mailDmarcCheck: CheckDefinition<DmarcEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.dmarc',
  titleKey: 'checks.mail.dmarc.title',
  remediationKey: 'checks.mail.dmarc.remediation',
  references: [
    { title: 'RFC 7489: Domain-based Message Authentication, Reporting, and Conformance (DMARC)', url: 'https://www.rfc-editor.org/rfc/rfc7489' },
    { title: 'DMARCbis (IETF draft, successor of RFC 7489)', url: 'https://datatracker.ietf.org/doc/draft-ietf-dmarc-dmarcbis/' },
    { title: 'NCSC: Factsheet Bescherm domeinnamen tegen phishing', url: 'https://www.ncsc.nl/documenten/factsheets/2019/juni/01/factsheet-bescherm-domeinnamen-tegen-phishing' },
    { title: 'Forum Standaardisatie: DMARC', url: 'https://www.forumstandaardisatie.nl/open-standaarden/dmarc' },
    { title: 'Microsoft 365: Set up DMARC', url: 'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dmarc-configure' },
    { title: 'Google Workspace: Set up DMARC', url: 'https://support.google.com/a/answer/2466563' },
  ],

  judge(evidence) {
    const policy = evidence.policy;
    const effective = policy === null ? null : evidence.source === 'organisational' ? (policy.sp ?? policy.p) : policy.p;
    const unauthorised = evidence.externalDestinations.filter((destination) => destination.authorised === false);
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, {
        domain: evidence.domain,
        organisationalDomain: evidence.organisationalDomain,
        source: evidence.source,
        recordDomain: evidence.recordDomain,
        records: evidence.records,
        effectivePolicy: effective,
        policy,
        errors: evidence.errors,
        externalDestinations: evidence.externalDestinations,
      });
    const recordDomain = evidence.recordDomain ?? evidence.domain;

    if (evidence.lookupError !== null) return result('error', 'info', `checks.reason.${evidence.lookupError}`, { host: `_dmarc.${evidence.domain}` });
    if (evidence.source === null) return result('fail', 'medium', 'checks.mail.dmarc.missing', { domain: evidence.domain });
    if (evidence.records.length > 1) return result('fail', 'medium', 'checks.mail.dmarc.multiple', { domain: recordDomain, count: evidence.records.length });
    if (policy === null) return result('error', 'info', 'checks.reason.check_failed');

    const firstError = evidence.errors[0];
    if (firstError) {
      return result('fail', 'medium', `checks.mail.dmarc.invalid.${firstError.code}`, { domain: recordDomain, tag: firstError.tag, value: firstError.value });
    }
    if (effective === 'none') return result('warn', 'low', 'checks.mail.dmarc.monitoring_only', { domain: recordDomain });
    if (unauthorised.length > 0) {
      const destinations = unauthorised.map((destination) => destination.domain).join(', ').slice(0, 300);
      return result('warn', 'low', 'checks.mail.dmarc.unauthorised_reports', { destinations });
    }
    if (policy.testing) return result('notice', 'low', 'checks.mail.dmarc.testing', { policy: effective ?? '' });
    if (policy.pct < 100) return result('notice', 'low', 'checks.mail.dmarc.partial', { policy: effective ?? '', pct: policy.pct });
    if (evidence.source === 'domain' && policy.sp === 'none') return result('notice', 'low', 'checks.mail.dmarc.weak_subdomains', { policy: effective ?? '' });
    return result('pass', 'info', 'checks.mail.dmarc.pass', { policy: effective ?? '' });
  },
};
