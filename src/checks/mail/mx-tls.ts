// mail.mx.tls: how good is the TLS the MX servers speak once STARTTLS is on? Reported per MX:
// protocol, cipher, accepted TLS versions, certificate. TLS 1.0/1.1 are to be phased out (NCSC),
// so accepting them warns. Between MTAs a certificate that does not name the MX is common
// practice (senders do not check names without DANE or MTA-STS): that is a notice, as is an
// untrusted chain. Hosted mail (Microsoft 365, Google) is the provider's to fix: never penalised.
import type { MxEvidence } from '../../evidence/mail-servers/mx-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { type HostReading, hostList, nothingToJudge, readHost } from './mx-hosts.ts';
import { checkResult } from '../result.ts';

const id = 'mail.mx.tls';
const version = 1;
const legacyVersions = new Set(['TLSv1', 'TLSv1.1', 'SSLv3']);
export const minimumRsaBits = 2048;
const day = 24 * 60 * 60 * 1000;

type Problem = 'legacy_only' | 'legacy_accepted' | 'certificate_expired' | 'weak_key' | 'certificate_untrusted' | 'name_mismatch';

interface HostTls {
  host: HostReading;
  protocol: string | null;
  acceptedLegacy: string[];
  problems: Problem[];
}

function judgeHost(host: HostReading, now: Date): HostTls | undefined {
  const tls = host.session?.tls;
  if (host.state !== 'tls' || !tls) return undefined;
  const problems: Problem[] = [];
  const accepted = (host.session?.versions ?? []).filter((probe) => probe.outcome === 'accepted').map((probe) => probe.version as string);
  if (tls.protocol) accepted.push(tls.protocol);
  const acceptedLegacy = [...new Set(accepted.filter((protocol) => legacyVersions.has(protocol)))];
  if (tls.protocol && legacyVersions.has(tls.protocol)) problems.push('legacy_only');
  else if (acceptedLegacy.length > 0) problems.push('legacy_accepted');
  const certificate = tls.certificate;
  if (certificate) {
    const expired = now.getTime() > Date.parse(certificate.validTo) || now.getTime() < Date.parse(certificate.validFrom);
    if (expired) problems.push('certificate_expired');
    if (certificate.keyType === 'rsa' && (certificate.keyBits ?? 0) < minimumRsaBits) problems.push('weak_key');
    if (!tls.chainTrusted && !expired) problems.push('certificate_untrusted');
    if (!certificate.hostnameMatches) problems.push('name_mismatch');
  }
  return { host, protocol: tls.protocol, acceptedLegacy, problems };
}

// Most serious first; the first one any self-hosted MX has becomes the verdict.
const verdicts: Array<[Problem, CheckStatus, Severity]> = [
  ['legacy_only', 'warn', 'high'],
  ['certificate_expired', 'warn', 'medium'],
  ['legacy_accepted', 'warn', 'medium'],
  ['weak_key', 'warn', 'medium'],
  ['certificate_untrusted', 'notice', 'low'],
  ['name_mismatch', 'notice', 'low'],
];

export const mailMxTlsCheck: CheckDefinition<MxEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.mx',
  titleKey: 'checks.mail.mx.tls.title',
  remediationKey: 'checks.mail.mx.tls.remediation',
  references: [
    { title: 'NCSC: ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS)', url: 'https://www.ncsc.nl/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05' },
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
    { title: 'RFC 7435: Opportunistic Security', url: 'https://www.rfc-editor.org/rfc/rfc7435' },
  ],

  judge(evidence, { now }) {
    const hosts = evidence.hosts.map(readHost);
    const judged = hosts.map((host) => judgeHost(host, now)).filter((item): item is HostTls => item !== undefined);
    const details: Record<string, unknown> = {
      domain: evidence.domain,
      hosts: hosts.map((host) => {
        const tls = host.session?.tls ?? null;
        const certificate = tls?.certificate ?? null;
        return {
          name: host.name,
          provider: host.provider,
          state: host.state,
          address: host.session?.address ?? null,
          protocol: tls?.protocol ?? null,
          cipher: tls?.cipher ?? null,
          versions: host.session?.versions ?? null,
          problems: judged.find((item) => item.host === host)?.problems ?? [],
          certificate: certificate && {
            subject: certificate.subject,
            issuer: certificate.issuer,
            subjectAltNames: certificate.subjectAltNames.slice(0, 20),
            validTo: certificate.validTo,
            daysLeft: Math.floor((Date.parse(certificate.validTo) - now.getTime()) / day),
            keyType: certificate.keyType,
            keyBits: certificate.keyBits,
            chainTrusted: tls?.chainTrusted ?? false,
            chainError: tls?.chainError ?? null,
            hostnameMatches: certificate.hostnameMatches,
          },
        };
      }),
    };
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, key.startsWith('mx.') ? `checks.mail.${key}` : `checks.mail.mx.tls.${key}`, params, details);

    const empty = nothingToJudge(evidence);
    if (empty) return result(empty.status, empty.severity, `mx.${empty.key}`, empty.params);
    if (judged.length === 0) {
      if (hosts.some((host) => host.state === 'no_starttls' || host.state === 'starttls_broken')) return result('info', 'info', 'no_tls');
      return result('error', 'info', 'unreachable', { hosts: hostList(hosts), reason: hosts[0]?.reason ?? '' });
    }

    const own = judged.filter((item) => item.host.provider === null);
    for (const [problem, status, severity] of verdicts) {
      const affected = own.filter((item) => item.problems.includes(problem));
      if (affected.length === 0) continue;
      const first = affected[0] as HostTls;
      const names = first.host.session?.tls?.certificate?.subjectAltNames.map((name) => name.replace(/^DNS:/, '')).join(', ').slice(0, 200) ?? '';
      return result(status, severity, problem, {
        hosts: hostList(affected.map((item) => item.host)),
        versions: [...new Set(affected.flatMap((item) => item.acceptedLegacy))].join(', '),
        protocol: first.protocol ?? '',
        date: first.host.session?.tls?.certificate?.validTo.slice(0, 10) ?? '',
        bits: first.host.session?.tls?.certificate?.keyBits ?? 0,
        reason: first.host.session?.tls?.chainError ?? '',
        names,
      });
    }
    const protocols = [...new Set(judged.map((item) => item.protocol ?? '?'))].join(', ');
    if (own.length === 0 && judged.some((item) => item.problems.length > 0)) return result('pass', 'info', 'provider_managed', { protocols });
    return result('pass', 'info', 'pass', { protocols, count: judged.length });
  },
};
