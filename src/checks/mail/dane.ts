// mail.dane: DANE for SMTP (RFC 7672). A TLSA record at _25._tcp.<mx> in a DNSSEC-signed zone
// tells sending servers which certificate to expect, so STARTTLS cannot be stripped or faked.
// We report whether each MX has usable TLSA records and whether they match the certificate the
// server really presented; a mismatch makes DANE-validating senders (Microsoft, Google, Postfix
// with DANE, many Dutch providers) refuse to deliver. DNSSEC validation itself is the DNSSEC
// check's: `secure` comes from the evidence when known, else we report TLSA presence only.
// Hosted mail is never blamed for the provider: Google offers no DANE, Microsoft 365 offers
// it on request (a notice with how to turn it on).
import type { MxEvidence } from '../../evidence/mail-servers/mx-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { isUsableForSmtp, tlsaMatchesChain } from './dane-tlsa.ts';
import { hostList, nothingToJudge, readHost } from './mx-hosts.ts';
import { isMicrosoftDaneMx } from './mx-providers.ts';
import { checkResult } from '../result.ts';

const id = 'mail.dane';
const version = 1;

type DaneState = 'match' | 'mismatch' | 'unverified' | 'unusable' | 'absent' | 'lookup_failed';

export const mailDaneCheck: CheckDefinition<MxEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.mx',
  titleKey: 'checks.mail.dane.title',
  remediationKey: 'checks.mail.dane.remediation',
  references: [
    { title: 'RFC 7672: SMTP Security via Opportunistic DANE TLS', url: 'https://www.rfc-editor.org/rfc/rfc7672' },
    { title: 'RFC 7671: The DANE Protocol: Updates and Operational Guidance', url: 'https://www.rfc-editor.org/rfc/rfc7671' },
    { title: 'NCSC: Factsheet Beveilig verbindingen van mailservers', url: 'https://www.ncsc.nl/documenten/factsheets/2019/juni/01/factsheet-beveilig-verbindingen-van-mailservers' },
    { title: 'Forum Standaardisatie: DNSSEC en DANE (pas toe of leg uit)', url: 'https://www.forumstandaardisatie.nl/open-standaarden/dane' },
  ],

  judge(evidence) {
    const hosts = evidence.hosts.map((host) => {
      const reading = readHost(host);
      const tlsa = host.tlsa;
      const records = tlsa?.records ?? [];
      const usable = records.filter(isUsableForSmtp);
      const chain = reading.session?.tls?.chain ?? [];
      let state: DaneState;
      if (!tlsa || tlsa.status === 'error') state = 'lookup_failed';
      else if (records.length === 0) state = 'absent';
      else if (usable.length === 0) state = 'unusable';
      else if (chain.length === 0) state = 'unverified';
      else state = usable.some((record) => tlsaMatchesChain(record, chain)) ? 'match' : 'mismatch';
      return { name: host.name, provider: reading.provider, state, secure: tlsa?.secure ?? null, records, reachable: reading.state };
    });
    const details: Record<string, unknown> = {
      domain: evidence.domain,
      mxSecure: evidence.mxSecure,
      hosts: hosts.map(({ name, provider, state, secure, records, reachable }) => ({
        name,
        provider,
        state,
        dnssecSecure: secure,
        session: reachable,
        tlsa: records.slice(0, 10).map((record) => `${record.usage} ${record.selector} ${record.matchingType} ${record.data.slice(0, 80)}`),
      })),
    };
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, key.startsWith('mx.') ? `checks.mail.${key}` : `checks.mail.dane.${key}`, params, details);
    const inState = (...states: DaneState[]) => hosts.filter((host) => states.includes(host.state));

    const empty = nothingToJudge(evidence);
    if (empty) return result(empty.status, empty.severity, `mx.${empty.key}`, empty.params);

    const mismatch = inState('mismatch');
    if (mismatch.length > 0) return result('fail', 'high', 'mismatch', { hosts: hostList(mismatch) });
    const unusable = inState('unusable');
    if (unusable.length > 0) return result('warn', 'medium', 'unusable_records', { hosts: hostList(unusable) });

    const present = inState('match', 'unverified');
    const absent = inState('absent');
    if (present.length > 0 && absent.length > 0) return result('warn', 'medium', 'partial', { hosts: hostList(absent) });
    if (present.length > 0) {
      const unverified = inState('unverified');
      if (unverified.length > 0) return result('notice', 'low', 'unverified', { hosts: hostList(unverified) });
      if (present.every((host) => host.secure === true)) return result('pass', 'info', 'pass', { count: present.length });
      return result('pass', 'info', 'present', { count: present.length });
    }
    if (absent.length === 0) return result('error', 'info', 'lookup_failed', { hosts: hostList(inState('lookup_failed')) });

    // No TLSA anywhere.
    const own = absent.filter((host) => host.provider === null);
    if (own.length === 0) {
      if (absent.every((host) => host.provider === 'google')) return result('info', 'info', 'provider_google');
      if (absent.some((host) => host.provider === 'microsoft365' && !isMicrosoftDaneMx(host.name))) return result('notice', 'low', 'provider_microsoft');
      return result('info', 'info', 'provider_other');
    }
    if (own.some((host) => host.secure === true) || evidence.mxSecure === true) return result('warn', 'medium', 'absent_signed', { hosts: hostList(own) });
    return result('notice', 'low', 'absent', { hosts: hostList(own) });
  },
};
