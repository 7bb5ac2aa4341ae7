// dns.registration: a domain whose registration lapses takes website and mail with it, and can
// be registered by someone else who then receives the company's mail. RDAP tells the expiry
// date where the registry publishes it: expired fails, within 30 days warns. Where it cannot
// tell (.nl publishes no expiry: a .nl domain runs as long as the registrar pays), the result
// is information only.
import type { RegistrationEvidence } from '../../evidence/dns/registration-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { resultFor } from './outcome.ts';

const id = 'dns.registration';
const version = 1;
const day = 24 * 60 * 60 * 1000;
export const warnWithinDays = 30;

export const dnsRegistrationCheck: CheckDefinition<RegistrationEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.registration',
  titleKey: 'checks.dns.registration.title',
  remediationKey: 'checks.dns.registration.remediation',
  references: [
    { title: 'RFC 9083: JSON Responses for the Registration Data Access Protocol (RDAP)', url: 'https://www.rfc-editor.org/rfc/rfc9083' },
    { title: 'RFC 9224: Finding the Authoritative RDAP Service', url: 'https://www.rfc-editor.org/rfc/rfc9224' },
    { title: 'ICANN: domain name renewal and expiration', url: 'https://www.icann.org/resources/pages/expired-2013-05-03-en' },
  ],

  judge(evidence, { now }) {
    const result = resultFor(id, version);
    const details = { ...evidence };
    const domain = evidence.registeredDomain ?? evidence.domain;
    switch (evidence.outcome) {
      case 'off':
        return result('info', 'info', 'checks.dns.registration.off', { domain }, details);
      case 'no_service':
        return result('info', 'info', 'checks.dns.registration.no_service', { domain, tld: domain.split('.').pop() ?? '' }, details);
      case 'not_found':
        return result('info', 'info', 'checks.dns.registration.not_found', { domain }, details);
      case 'failed':
        return result('info', 'info', 'checks.dns.registration.unknown', { domain, reason: evidence.failure ?? '' }, details);
      case 'found':
        break;
    }
    if (evidence.expiration === null) return result('info', 'info', 'checks.dns.registration.no_expiry', { domain, registrar: evidence.registrar ?? '—' }, details);
    const expires = Date.parse(evidence.expiration);
    const days = Math.floor((expires - now.getTime()) / day);
    const params = { domain, date: evidence.expiration.slice(0, 10), days: Math.abs(days), registrar: evidence.registrar ?? '—' };
    if (expires <= now.getTime()) return result('fail', 'high', 'checks.dns.registration.expired', params, details);
    if (days <= warnWithinDays) return result('warn', 'medium', 'checks.dns.registration.expires_soon', params, details);
    return result('pass', 'info', 'checks.dns.registration.pass', params, details);
  },
};
