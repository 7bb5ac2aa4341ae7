// dns.dnssec: can a validating resolver trust the domain's DNS answers? Secure passes; a bogus
// chain fails (validating resolvers — most Dutch ISPs, Google, Cloudflare, Quad9 — then refuse
// to answer at all, so website and mail become unreachable for their users); an unsigned
// domain is a warning: DNSSEC is a "pas toe of leg uit" standard of the Dutch Forum
// Standaardisatie, internet.nl requires it, and .nl registrars offer it at little or no cost,
// but the domain still works without it, so it is not a failure.
import type { DnssecEvidence } from '../../evidence/dns/dnssec-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsFailureReasons, resultFor } from './outcome.ts';

const id = 'dns.dnssec';
const version = 1;
const day = 24 * 60 * 60 * 1000;
/** Signatures that run out within this time mean the automatic re-signing has stopped. */
export const expiringWithinDays = 3;

const bogusReasons = new Set([
  'ds_mismatch',
  'anchor_mismatch',
  'signature_expired',
  'signature_not_yet_valid',
  'signature_invalid',
  'no_signatures',
  'dnskey_missing',
  'denial_missing',
  'denial_invalid',
]);

/** Reasons the measurement itself failed, each with a `checks.dns.reason.<code>` text. */
export const dnssecErrorReasons = new Set<string>([...dnsFailureReasons, 'resolver_without_dnssec', 'no_trust_anchor', 'nxdomain', 'trust_anchor_invalid']);

export const dnsDnssecCheck: CheckDefinition<DnssecEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.dnssec',
  titleKey: 'checks.dns.dnssec.title',
  remediationKey: 'checks.dns.dnssec.remediation',
  references: [
    { title: 'RFC 4033: DNS Security Introduction and Requirements', url: 'https://www.rfc-editor.org/rfc/rfc4033' },
    { title: 'RFC 4035: Protocol Modifications for the DNS Security Extensions', url: 'https://www.rfc-editor.org/rfc/rfc4035' },
    { title: 'Forum Standaardisatie: DNSSEC', url: 'https://www.forumstandaardisatie.nl/open-standaarden/dnssec' },
    { title: 'SIDN: DNSSEC', url: 'https://www.sidn.nl/dnssec' },
    { title: 'Internet.nl: DNSSEC explained', url: 'https://internet.nl/faqs/dnssec/' },
  ],

  judge(evidence, { now }) {
    const result = resultFor(id, version);
    const details = {
      domain: evidence.domain,
      anchor: evidence.anchor,
      anchorSource: evidence.anchorSource,
      status: evidence.status,
      reason: evidence.reason,
      at: evidence.at,
      zone: evidence.zone,
      chain: evidence.chain,
      signaturesExpire: evidence.signaturesExpire,
    };
    const params = { domain: evidence.domain, at: evidence.at ?? evidence.domain, zone: evidence.zone ?? evidence.domain };
    switch (evidence.status) {
      case 'secure': {
        const expires = evidence.signaturesExpire ? Date.parse(evidence.signaturesExpire) : Number.POSITIVE_INFINITY;
        const days = Math.floor((expires - now.getTime()) / day);
        if (days < expiringWithinDays) {
          return result('warn', 'high', 'checks.dns.dnssec.expiring', { ...params, date: (evidence.signaturesExpire ?? '').slice(0, 10), days }, details);
        }
        return result('pass', 'info', 'checks.dns.dnssec.pass', params, details);
      }
      case 'insecure':
        if (evidence.reason === 'unsigned_delegation') return result('warn', 'medium', 'checks.dns.dnssec.unsigned', params, details);
        return result('warn', 'medium', 'checks.dns.dnssec.unsupported', { ...params, reason: evidence.reason ?? '' }, details);
      case 'bogus': {
        const reason = bogusReasons.has(evidence.reason ?? '') ? (evidence.reason as string) : 'other';
        return result('fail', 'high', `checks.dns.dnssec.bogus.${reason}`, { ...params, reason: evidence.reason ?? '' }, details);
      }
      case 'indeterminate': {
        const reason = dnssecErrorReasons.has(evidence.reason ?? '') ? (evidence.reason as string) : 'dns_failure';
        return result('error', 'info', `checks.dns.reason.${reason}`, { name: evidence.at ?? evidence.domain }, details);
      }
    }
  },
};
