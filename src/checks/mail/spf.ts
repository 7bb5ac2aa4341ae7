// mail.spf: does the domain say, in one valid SPF record, which servers may send its mail, and
// does it tell receivers to refuse the rest? A problem in a mail provider's own record that
// the customer cannot change is a warning, never a fail.
import type { SpfEvidence } from '../../evidence/mail/spf-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'mail.spf';
const version = 1;

/** Problems in a record's own content; in a provider's record the customer cannot fix them. */
const recordProblems = new Set(['syntax', 'multiple_records', 'void_limit', 'mx_limit']);

export const mailSpfCheck: CheckDefinition<SpfEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.spf',
  titleKey: 'checks.mail.spf.title',
  remediationKey: 'checks.mail.spf.remediation',
  references: [
    { title: 'RFC 7208: Sender Policy Framework (SPF)', url: 'https://www.rfc-editor.org/rfc/rfc7208' },
    { title: 'NCSC: Factsheet Bescherm domeinnamen tegen phishing', url: 'https://www.ncsc.nl/documenten/factsheets/2019/juni/01/factsheet-bescherm-domeinnamen-tegen-phishing' },
    { title: 'Forum Standaardisatie: SPF', url: 'https://www.forumstandaardisatie.nl/open-standaarden/spf' },
    { title: 'Microsoft 365: Set up SPF', url: 'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure' },
    { title: 'Google Workspace: Set up SPF', url: 'https://support.google.com/a/answer/10685031' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, {
        domain: evidence.domain,
        records: evidence.records,
        result: evidence.evaluation?.result ?? null,
        problem: evidence.evaluation?.problem ?? null,
        dnsLookups: evidence.evaluation?.dnsLookups ?? null,
        voidLookups: evidence.evaluation?.voidLookups ?? null,
        allQualifier: evidence.allQualifier,
        broadRanges: evidence.broadRanges,
        includes: evidence.includes,
        providers: evidence.providers,
      });
    const domain = evidence.domain;

    if (evidence.lookupError !== null) return result('error', 'info', `checks.reason.${evidence.lookupError}`, { host: domain });
    if (evidence.records.length === 0) return result('fail', 'medium', 'checks.mail.spf.missing', { domain });
    if (evidence.records.length > 1) return result('fail', 'medium', 'checks.mail.spf.multiple', { domain, count: evidence.records.length });
    const evaluation = evidence.evaluation;
    if (evaluation === null) return result('error', 'info', 'checks.reason.check_failed');

    const problem = evaluation.problem;
    if (evaluation.result === 'temperror') return result('error', 'info', 'checks.mail.spf.temperror', { domain: problem?.domain ?? domain });
    if (evaluation.result === 'permerror' && problem) {
      const inOwnRecord = evaluation.records.some((record) => record.domain === problem.domain && record.ownOrganisation) || problem.domain === domain;
      if (recordProblems.has(problem.code) && !inOwnRecord) {
        return result('warn', 'medium', 'checks.mail.spf.provider_error', { domain: problem.domain, detail: problem.detail });
      }
      switch (problem.code) {
        case 'lookup_limit':
          return result('fail', 'medium', 'checks.mail.spf.lookup_limit', { limit: 10 });
        case 'void_limit':
          return result('fail', 'medium', 'checks.mail.spf.void_limit', { detail: problem.detail });
        case 'include_none':
        case 'redirect_none':
          return result('fail', 'medium', 'checks.mail.spf.include_missing', { domain: problem.domain });
        case 'multiple_records':
          return result('fail', 'medium', 'checks.mail.spf.multiple', { domain: problem.domain, count: Number(problem.detail) || 2 });
        default:
          return result('fail', 'medium', 'checks.mail.spf.syntax', { domain: problem.domain, detail: problem.detail });
      }
    }
    if (evaluation.result === 'permerror') return result('fail', 'medium', 'checks.mail.spf.syntax', { domain, detail: '' });

    if (evidence.allQualifier === '+') return result('fail', 'high', 'checks.mail.spf.pass_all');
    // The probe address is TEST-NET-1: a policy that lets it send lets nearly anyone send.
    if (evaluation.result === 'pass') return result('fail', 'high', 'checks.mail.spf.authorises_anyone', { term: evaluation.matched?.term ?? '' });
    if (evidence.allQualifier === '?') return result('fail', 'medium', 'checks.mail.spf.neutral_all');
    if (evidence.allQualifier === null) return result('fail', 'medium', 'checks.mail.spf.no_all');
    if (evidence.broadRanges.length > 0) {
      const ranges = evidence.broadRanges.map((range) => range.term).join(', ').slice(0, 300);
      return result('warn', 'medium', 'checks.mail.spf.broad_ranges', { ranges });
    }
    if (evidence.allQualifier === '~') return result('notice', 'low', 'checks.mail.spf.softfail_all', { lookups: evaluation.dnsLookups });
    return result('pass', 'info', 'checks.mail.spf.pass', { lookups: evaluation.dnsLookups });
  },
};
