// web.security-txt: can someone who finds a vulnerability tell the company (RFC 9116)? The file
// is recommended, not required, so a missing one is a notice; a file that misleads — expired, or
// without the required Contact or Expires — is a warning. Details say whether it is signed.
import type { SecurityTxtEvidence, SecurityTxtFetch } from '../../evidence/web-leaks/security-txt-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { parseSecurityTxt, type SecurityTxt } from './security-txt-parse.ts';
import { checkResult } from '../result.ts';

const id = 'web.security-txt';
const version = 1;
const year = 365 * 24 * 60 * 60 * 1000;

const rfcFields = new Set(['contact', 'expires', 'encryption', 'acknowledgments', 'preferred-languages', 'canonical', 'policy', 'hiring', 'csaf']);

/** The parsed file, when the answer really is a security.txt (not an error page served as 200). */
export function securityTxtDocument(fetched: SecurityTxtFetch | null): SecurityTxt | undefined {
  if (!fetched || fetched.body === null || fetched.status === null || fetched.status < 200 || fetched.status > 299) return undefined;
  if (/^\s*<(!doctype|html|head|body)\b/i.test(fetched.body)) return undefined;
  const parsed = parseSecurityTxt(fetched.body);
  return parsed.fields.some((field) => rfcFields.has(field.name)) ? parsed : undefined;
}

type Finding =
  | 'no_contact'
  | 'no_expires'
  | 'multiple_expires'
  | 'invalid_expires'
  | 'expired'
  | 'legacy_location'
  | 'not_https'
  | 'content_type'
  | 'expires_far'
  | 'insecure_uri'
  | 'invalid_uri'
  | 'signature_malformed'
  | 'canonical_mismatch';

/** Most serious first; the first one found becomes the verdict. */
const warnings: Finding[] = ['no_contact', 'no_expires', 'multiple_expires', 'invalid_expires', 'expired'];
const notices: Finding[] = ['legacy_location', 'not_https', 'insecure_uri', 'invalid_uri', 'signature_malformed', 'expires_far', 'canonical_mismatch', 'content_type'];

export const webSecurityTxtCheck: CheckDefinition<SecurityTxtEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.leaks.security-txt',
  titleKey: 'checks.web.security-txt.title',
  remediationKey: 'checks.web.security-txt.remediation',
  references: [
    { title: 'RFC 9116: A File Format to Aid in Security Vulnerability Disclosure', url: 'https://www.rfc-editor.org/rfc/rfc9116' },
    { title: 'securitytxt.org', url: 'https://securitytxt.org/' },
    { title: 'NCSC: Coordinated Vulnerability Disclosure', url: 'https://www.ncsc.nl/contact/kwetsbaarheid-melden' },
  ],

  judge(evidence, { now }) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, `checks.web.security-txt.${key}`, params, details);
    const wellKnown = securityTxtDocument(evidence.wellKnown);
    const legacy = wellKnown ? undefined : securityTxtDocument(evidence.legacy);
    const document = wellKnown ?? legacy;
    const fetched = wellKnown ? evidence.wellKnown : legacy ? evidence.legacy : null;
    if (!document || !fetched) {
      if (evidence.wellKnown.error !== null && ['no_address', 'dns_timeout', 'dns_failure', 'target_refused', 'connection_refused', 'connection_failed', 'timeout', 'tls_failed'].includes(evidence.wellKnown.error)) {
        return result('error', 'info', 'unreachable', { url: evidence.wellKnown.url, reason: evidence.wellKnown.error }, {
          url: evidence.wellKnown.url,
          reason: evidence.wellKnown.error,
          reasonDetail: evidence.wellKnown.errorDetail,
        });
      }
      return result('notice', 'low', 'missing', { url: evidence.wellKnown.url }, {
        url: evidence.wellKnown.url,
        status: evidence.wellKnown.status,
        legacyStatus: evidence.legacy?.status ?? null,
      });
    }

    const findings = new Set<Finding>();
    for (const problem of document.problems) {
      if (['no_contact', 'no_expires', 'multiple_expires', 'invalid_expires', 'insecure_uri', 'invalid_uri', 'signature_malformed'].includes(problem.code)) {
        findings.add(problem.code as Finding);
      }
    }
    const expiresAt = document.expiresAt ? Date.parse(document.expiresAt) : undefined;
    if (expiresAt !== undefined && expiresAt <= now.getTime()) findings.add('expired');
    if (expiresAt !== undefined && expiresAt - now.getTime() > year) findings.add('expires_far');
    if (legacy) findings.add('legacy_location');
    const servedFrom = fetched.finalUrl ?? fetched.url;
    if (!servedFrom.startsWith('https:')) findings.add('not_https');
    const contentType = (fetched.contentType ?? '').toLowerCase();
    if (!/^text\/plain\s*(;|$)/.test(contentType) || !/;\s*charset\s*=\s*"?utf-8"?/.test(contentType)) findings.add('content_type');
    if (document.canonical.length > 0 && !document.canonical.includes(servedFrom) && !document.canonical.includes(fetched.url)) findings.add('canonical_mismatch');

    const details = {
      url: servedFrom,
      location: wellKnown ? 'well-known' : 'legacy',
      contentType: fetched.contentType,
      findings: [...warnings, ...notices].filter((finding) => findings.has(finding)),
      contacts: document.contacts.slice(0, 10),
      expires: document.expires,
      expiresAt: document.expiresAt,
      encryption: document.encryption.slice(0, 5),
      policy: document.policy.slice(0, 5),
      canonical: document.canonical.slice(0, 5),
      preferredLanguages: document.preferredLanguages,
      signed: document.signed,
      signedHash: document.signedHash,
      signature: document.signature,
      problems: document.problems.slice(0, 20),
    };
    const params = {
      url: servedFrom,
      date: document.expiresAt?.slice(0, 10) ?? document.expires ?? '',
      contentType: fetched.contentType ?? '',
      contact: document.contacts[0] ?? '',
    };
    const warning = warnings.find((finding) => findings.has(finding));
    if (warning) return result('warn', 'medium', warning, params, details);
    const notice = notices.find((finding) => findings.has(finding));
    if (notice) return result('notice', 'low', notice, params, details);
    return result('pass', 'info', document.signed ? 'pass_signed' : 'pass', params, details);
  },
};
