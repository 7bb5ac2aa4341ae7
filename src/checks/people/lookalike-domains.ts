// people.lookalike-domains: are typo and lookalike versions of the company's domain registered
// and able to receive (and so usually send) mail? Those are the domains phishing mails to
// employees, customers and suppliers come from (fake invoices, CEO fraud). Owner: IT, who can
// have them blocked and taken down; the texts tell HR to warn the staff.
import type { LookalikeEvidence, RegisteredLookalike } from '../../evidence/lookalikes/lookalike-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'people.lookalike-domains';
const version = 1;
const maxListed = 10;

const shown = (lookalike: RegisteredLookalike) => (lookalike.unicode ? `${lookalike.unicode} (${lookalike.name})` : lookalike.name);

export const peopleLookalikeDomainsCheck: CheckDefinition<LookalikeEvidence> = {
  id,
  version,
  area: 'people',
  owner: 'it',
  evidenceKind: 'people.lookalikes',
  titleKey: 'checks.people.lookalike-domains.title',
  remediationKey: 'checks.people.lookalike-domains.remediation',
  references: [
    { title: 'MITRE ATT&CK T1583.001: Acquire Infrastructure — Domains', url: 'https://attack.mitre.org/techniques/T1583/001/' },
    { title: 'Unicode Technical Standard #39: Unicode Security Mechanisms (confusables)', url: 'https://www.unicode.org/reports/tr39/' },
    { title: 'RFC 7505: A "Null MX" No Service Resource Record', url: 'https://www.rfc-editor.org/rfc/rfc7505' },
    { title: 'CIS Controls v8, Safeguard 14.2: train workforce members to recognize social engineering attacks', url: 'https://www.cisecurity.org/controls/v8' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, key, params, details);
    const details = {
      domain: evidence.domain,
      generated: evidence.generated,
      checked: evidence.checked,
      dnsFailures: evidence.dnsFailures,
      complete: evidence.complete,
      registered: evidence.registered.slice(0, 100),
    };
    if (evidence.error === 'not_registrable') return result('error', 'info', 'checks.people.lookalike-domains.not_registrable', { domain: evidence.domain }, details);
    if (evidence.error === 'dns_failure') return result('error', 'info', 'checks.reason.dns_failure', { host: evidence.domain }, details);

    const withMail = evidence.registered.filter((lookalike) => lookalike.mailExchangers.length > 0 && !lookalike.nullMx && !lookalike.likelyOwned);
    if (withMail.length > 0) {
      const names = withMail.slice(0, maxListed).map(shown).join(', ');
      return result('warn', 'medium', 'checks.people.lookalike-domains.warn', { count: withMail.length, names, domain: evidence.domain }, details);
    }
    const params = { checked: evidence.checked, registered: evidence.registered.length, domain: evidence.domain };
    if (!evidence.complete) return result('notice', 'low', 'checks.people.lookalike-domains.incomplete', { ...params, generated: evidence.generated }, details);
    return result('pass', 'info', 'checks.people.lookalike-domains.pass', params, details);
  },
};
