// mail.mx.starttls: does every MX server offer STARTTLS, and does the TLS handshake after it
// work? Without it, mail to the company crosses the internet readable by anyone on the path.
// Hosted mail (Microsoft 365, Google) is the provider's to fix: a problem there is a notice.
import type { MxEvidence } from '../../evidence/mail-servers/mx-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { hostList, nothingToJudge, readHost } from './mx-hosts.ts';
import { checkResult } from '../result.ts';

const id = 'mail.mx.starttls';
const version = 1;

export const mailMxStarttlsCheck: CheckDefinition<MxEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.mx',
  titleKey: 'checks.mail.mx.starttls.title',
  remediationKey: 'checks.mail.mx.starttls.remediation',
  references: [
    { title: 'RFC 3207: SMTP Service Extension for Secure SMTP over TLS', url: 'https://www.rfc-editor.org/rfc/rfc3207' },
    { title: 'NCSC: Factsheet Beveilig verbindingen van mailservers', url: 'https://www.ncsc.nl/documenten/factsheets/2019/juni/01/factsheet-beveilig-verbindingen-van-mailservers' },
    { title: 'Internet.nl: e-mail test explained', url: 'https://internet.nl/faqs/mailserver/' },
  ],

  judge(evidence) {
    const hosts = evidence.hosts.map(readHost);
    const details: Record<string, unknown> = {
      domain: evidence.domain,
      hosts: hosts.map((host) => ({
        name: host.name,
        provider: host.provider,
        state: host.state,
        reason: host.reason,
        address: host.session?.address ?? null,
        greeting: host.session?.greeting ?? null,
        extensions: host.session?.extensions ?? [],
        bytesAfterStarttls: host.session?.bytesAfterStarttls ?? 0,
      })),
      truncated: evidence.truncated,
    };
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, key.startsWith('mx.') ? `checks.mail.${key}` : `checks.mail.mx.starttls.${key}`, params, details);

    const empty = nothingToJudge(evidence);
    if (empty) return result(empty.status, empty.severity, `mx.${empty.key}`, empty.params);

    const own = hosts.filter((host) => host.provider === null);
    const missing = own.filter((host) => host.state === 'no_starttls');
    if (missing.length > 0) return result('fail', 'high', 'missing', { hosts: hostList(missing), count: missing.length });
    const broken = own.filter((host) => host.state === 'starttls_broken');
    if (broken.length > 0) return result('fail', 'high', 'broken', { hosts: hostList(broken), reason: broken[0]?.reason ?? '' });
    const injected = hosts.filter((host) => (host.session?.bytesAfterStarttls ?? 0) > 0);
    if (injected.length > 0) return result('warn', 'medium', 'injection', { hosts: hostList(injected) });
    const providerProblems = hosts.filter((host) => host.provider !== null && (host.state === 'no_starttls' || host.state === 'starttls_broken'));
    if (providerProblems.length > 0) return result('notice', 'low', 'provider_problem', { hosts: hostList(providerProblems) });

    const unreachable = hosts.filter((host) => host.state === 'unreachable');
    if (unreachable.length === hosts.length) {
      return result('error', 'info', 'unreachable', { hosts: hostList(unreachable), reason: unreachable[0]?.reason ?? '' });
    }
    if (unreachable.length > 0) return result('notice', 'low', 'partly_unreachable', { hosts: hostList(unreachable), reason: unreachable[0]?.reason ?? '' });
    return result('pass', 'info', 'pass', { count: hosts.length });
  },
};
