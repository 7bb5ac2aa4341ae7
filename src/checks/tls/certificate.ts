// tls.certificate: is the certificate on the HTTPS port trusted, for this name, and in date?
import type { CertificateEvidence } from '../../evidence/tls/certificate-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'tls.certificate';
const version = 1;
const day = 24 * 60 * 60 * 1000;
export const warnWithinDays = 14;
export const noticeWithinDays = 30;

/** What can be wrong, most serious first; the first one found becomes the verdict. */
type Problem = 'expired' | 'not_yet_valid' | 'self_signed' | 'untrusted' | 'hostname_mismatch';

// OpenSSL reports an out-of-date leaf as a chain error too; when the leaf's own dates explain
// it, that is not a second problem. With the leaf in date it means an intermediate is out of date.
const timeErrors = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

const isoDate = (iso: string) => iso.slice(0, 10);

export const tlsCertificateCheck: CheckDefinition<CertificateEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.certificate',
  titleKey: 'checks.tls.certificate.title',
  remediationKey: 'checks.tls.certificate.remediation',
  references: [
    { title: 'RFC 5280: Internet X.509 Public Key Infrastructure Certificate Profile', url: 'https://www.rfc-editor.org/rfc/rfc5280' },
    { title: 'RFC 9525: Service Identity in TLS', url: 'https://www.rfc-editor.org/rfc/rfc9525' },
    { title: 'CA/Browser Forum Baseline Requirements', url: 'https://cabforum.org/working-groups/server/baseline-requirements/' },
  ],

  judge(evidence, { now }) {
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, details);
    const connection = { host: evidence.host, port: evidence.port, address: evidence.address, addresses: evidence.addresses };

    const session = evidence.tls;
    if (evidence.error !== null || session === null) {
      const reason = evidence.error ?? 'handshake_failed';
      return result('error', 'info', `checks.reason.${reason}`, { host: evidence.host, address: evidence.address ?? '' }, {
        ...connection,
        reason,
        reasonDetail: evidence.errorDetail,
        refusedAddresses: evidence.refusedAddresses,
      });
    }

    const certificate = session.certificate;
    const validFrom = Date.parse(certificate.validFrom);
    const validTo = Date.parse(certificate.validTo);
    const daysLeft = Math.floor((validTo - now.getTime()) / day);
    const problems: Problem[] = [];
    if (now.getTime() > validTo) problems.push('expired');
    if (now.getTime() < validFrom) problems.push('not_yet_valid');
    const explainedByDates = problems.length > 0 && timeErrors.has(session.chainError ?? '');
    if (!session.chainTrusted && !explainedByDates) {
      problems.push(certificate.selfSigned ? 'self_signed' : 'untrusted');
    }
    if (!session.hostnameMatches) problems.push('hostname_mismatch');

    const details = {
      ...connection,
      problems,
      subject: certificate.subject,
      issuer: certificate.issuer,
      subjectAltNames: certificate.subjectAltNames,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      daysLeft,
      chainError: session.chainError,
      hostnameError: session.hostnameError,
      fingerprintSha256: certificate.fingerprintSha256,
    };
    const names = certificate.subjectAltNames.map((name) => name.replace(/^DNS:/, '')).join(', ').slice(0, 300) || certificate.subject;

    switch (problems[0]) {
      case 'expired':
        return result('fail', 'high', 'checks.tls.certificate.expired', { date: isoDate(certificate.validTo), days: -daysLeft }, details);
      case 'not_yet_valid':
        return result('fail', 'high', 'checks.tls.certificate.not_yet_valid', { date: isoDate(certificate.validFrom) }, details);
      case 'self_signed':
        return result('fail', 'high', 'checks.tls.certificate.self_signed', {}, details);
      case 'untrusted':
        return result('fail', 'high', 'checks.tls.certificate.untrusted', { reason: session.chainError ?? '' }, details);
      case 'hostname_mismatch':
        return result('fail', 'high', 'checks.tls.certificate.hostname_mismatch', { host: evidence.host, names }, details);
      case undefined:
        break;
    }
    const params = { days: daysLeft, date: isoDate(certificate.validTo) };
    if (daysLeft <= warnWithinDays) return result('warn', 'medium', 'checks.tls.certificate.expires_soon', params, details);
    if (daysLeft <= noticeWithinDays) return result('notice', 'low', 'checks.tls.certificate.expires_within_month', params, details);
    return result('pass', 'info', 'checks.tls.certificate.pass', params, details);
  },
};
