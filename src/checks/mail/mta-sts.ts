// mail.mta-sts: MTA-STS (RFC 8461) lets a domain tell sending servers "always use valid TLS to
// these MX servers". Judged: the `_mta-sts` record, the policy file (fetched over HTTPS with a
// valid certificate, no redirects, text/plain), its mode, and whether its mx patterns admit
// every real MX: in enforce mode an MX the policy does not list stops receiving mail.
import type { MtaStsEvidence } from '../../evidence/mail-servers/mta-sts-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { isPolicyMediaType, mtaStsRecordsOf, parseMtaStsPolicy, parseMtaStsRecord, unmatchedMxHosts } from './mta-sts-policy.ts';
import { hostedProviderOf } from './mx-providers.ts';
import { checkResult } from '../result.ts';

const id = 'mail.mta-sts';
const version = 1;
/** Shorter than a day gives little protection between fetches (RFC 8461 suggests weeks). */
export const shortMaxAgeSeconds = 86_400;

export const mailMtaStsCheck: CheckDefinition<MtaStsEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.mta-sts',
  titleKey: 'checks.mail.mta-sts.title',
  remediationKey: 'checks.mail.mta-sts.remediation',
  references: [
    { title: 'RFC 8461: SMTP MTA Strict Transport Security (MTA-STS)', url: 'https://www.rfc-editor.org/rfc/rfc8461' },
    { title: 'Microsoft Learn: Enhancing mail flow with MTA-STS', url: 'https://learn.microsoft.com/en-us/purview/enhancing-mail-flow-with-mta-sts' },
    { title: 'Google Workspace: About MTA-STS and TLS reporting', url: 'https://support.google.com/a/answer/9261504' },
  ],

  judge(evidence) {
    const details: Record<string, unknown> = {
      domain: evidence.domain,
      mxHosts: evidence.mxHosts,
      provider: hostedProviderOf(evidence.mxHosts),
      records: evidence.record.txt.filter((record) => /^v=STS/i.test(record)),
      policy: evidence.policy && {
        url: evidence.policy.url,
        status: evidence.policy.status,
        contentType: evidence.policy.contentType,
        tlsVerified: evidence.policy.tlsVerified,
        tlsError: evidence.policy.tlsError,
        failure: evidence.policy.failure,
        redirectLocation: evidence.policy.redirectLocation,
        body: evidence.policy.body?.slice(0, 2000) ?? null,
      },
    };
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, key.startsWith('mx.') ? `checks.mail.${key}` : `checks.mail.mta-sts.${key}`, params, details);

    if (evidence.mxLookup.status === 'error') return result('error', 'info', 'mx.lookup_failed', { domain: evidence.domain, reason: evidence.mxLookup.failure ?? 'error' });
    if (evidence.nullMx) return result('info', 'info', 'mx.null_mx', { domain: evidence.domain });
    if (evidence.mxHosts.length === 0) return result('info', 'info', 'mx.no_mx', { domain: evidence.domain });
    if (evidence.record.status === 'error') return result('error', 'info', 'lookup_failed', { reason: evidence.record.failure ?? 'error' });

    const records = mtaStsRecordsOf(evidence.record.txt);
    if (records.length === 0) return result('notice', 'low', 'missing');
    if (records.length > 1) return result('warn', 'medium', 'multiple_records', { count: records.length });
    const record = parseMtaStsRecord(records[0] as string);
    if (!record.ok) return result('warn', 'medium', 'invalid_record', { error: record.error, detail: record.detail });
    details.id = record.id;

    const policy = evidence.policy;
    if (!policy) return result('error', 'info', 'policy_not_fetched');
    if (policy.failure === 'redirect') return result('warn', 'medium', 'policy_redirect', { location: policy.redirectLocation ?? '' });
    if (policy.failure !== null || policy.status === null) return result('warn', 'medium', 'policy_unavailable', { url: policy.url, reason: policy.failure ?? 'no_response' });
    if (policy.tlsVerified === false) return result('warn', 'medium', 'policy_certificate', { url: policy.url, reason: policy.tlsError ?? '' });
    if (policy.status !== 200) return result('warn', 'medium', 'policy_unavailable', { url: policy.url, reason: `HTTP ${policy.status}` });
    if (!isPolicyMediaType(policy.contentType)) return result('warn', 'medium', 'policy_media_type', { type: policy.contentType ?? '' });
    if (policy.bodyTruncated) return result('warn', 'medium', 'policy_invalid', { problems: 'too_large' });
    const parsed = parseMtaStsPolicy(policy.body ?? '');
    details.mode = parsed.mode;
    details.maxAge = parsed.maxAge;
    details.mxPatterns = parsed.mx;
    details.problems = parsed.problems;
    if (parsed.problems.length > 0) return result('warn', 'medium', 'policy_invalid', { problems: parsed.problems.join(', ') });

    const unmatched = parsed.mode === 'none' ? [] : unmatchedMxHosts(evidence.mxHosts, parsed.mx);
    details.unmatchedMx = unmatched;
    const hosts = unmatched.slice(0, 5).join(', ');
    if (parsed.mode === 'enforce' && unmatched.length > 0) return result('fail', 'high', 'mx_mismatch', { hosts, patterns: parsed.mx.join(', ').slice(0, 200) });
    if (parsed.mode === 'testing' && unmatched.length > 0) return result('warn', 'medium', 'mx_mismatch_testing', { hosts, patterns: parsed.mx.join(', ').slice(0, 200) });
    if (parsed.mode === 'none') return result('notice', 'low', 'mode_none');
    if (parsed.mode === 'testing') return result('notice', 'low', 'mode_testing');
    const days = Math.floor((parsed.maxAge ?? 0) / 86_400);
    if ((parsed.maxAge ?? 0) < shortMaxAgeSeconds) return result('notice', 'low', 'short_max_age', { seconds: parsed.maxAge ?? 0 });
    return result('pass', 'info', 'pass', { days });
  },
};
