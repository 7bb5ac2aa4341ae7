// mail.dkim: are DKIM keys published under the common selectors, and are they strong enough?
// RSA under 1024 bits fails (forgeable), under 2048 warns (RFC 8301 minimum is 1024, 2048 is
// today's advice), Ed25519 (RFC 8463) is accepted. A domain does not say which selectors it
// uses, so "none found" is only certain when `_domainkey.<domain>` does not exist at all.
import type { DkimEvidence } from '../../evidence/mail-servers/dkim-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { type DkimKey, parseDkimRecord } from './dkim-record.ts';
import { hostedProviderOf } from './mx-providers.ts';
import { checkResult } from '../result.ts';

const id = 'mail.dkim';
const version = 1;
export const minimumRsaBits = 1024;
export const recommendedRsaBits = 2048;

const looksLikeDkim = (record: string) => /^\s*v\s*=\s*DKIM1\b/.test(record) || /(^|;)\s*p\s*=/.test(record);

export const mailDkimCheck: CheckDefinition<DkimEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.dkim',
  titleKey: 'checks.mail.dkim.title',
  remediationKey: 'checks.mail.dkim.remediation',
  references: [
    { title: 'RFC 6376: DomainKeys Identified Mail (DKIM) Signatures', url: 'https://www.rfc-editor.org/rfc/rfc6376' },
    { title: 'RFC 8301: Cryptographic Algorithm and Key Usage Update to DKIM', url: 'https://www.rfc-editor.org/rfc/rfc8301' },
    { title: 'RFC 8463: A New Cryptographic Signature Method for DKIM (Ed25519)', url: 'https://www.rfc-editor.org/rfc/rfc8463' },
    { title: 'NCSC: Factsheet Bescherm domeinnamen tegen phishing', url: 'https://www.ncsc.nl/documenten/factsheets/2019/juni/01/factsheet-bescherm-domeinnamen-tegen-phishing' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, `checks.mail.dkim.${key}`, params, details);

    const keys: Array<DkimKey & { selector: string }> = [];
    const broken: Array<{ selector: string; error: string; detail: string }> = [];
    for (const entry of evidence.selectors) {
      if (entry.status !== 'ok') continue;
      for (const record of entry.txt.filter(looksLikeDkim)) {
        const parsed = parseDkimRecord(record);
        if (parsed.ok) keys.push({ selector: entry.selector, ...parsed.key });
        else broken.push({ selector: entry.selector, error: parsed.error, detail: parsed.detail });
      }
    }
    const usable = keys.filter((key) => !key.revoked);
    const provider = hostedProviderOf(evidence.mxHosts);
    const failedLookups = evidence.selectors.filter((entry) => entry.status === 'error').map((entry) => entry.selector);
    const details: Record<string, unknown> = {
      selectorsTried: evidence.selectors.map((entry) => entry.selector),
      keys: keys.map(({ selector, keyType, bits, revoked, testing, sha1Only }) => ({ selector, keyType, bits, revoked, testing, sha1Only })),
      brokenRecords: broken,
      failedLookups,
      domainkeyNode: evidence.domainkeyNode.status,
      provider,
    };
    const list = (items: Array<{ selector: string }>) => [...new Set(items.map((item) => item.selector))].join(', ');

    const tooWeak = usable.filter((key) => key.keyType === 'rsa' && (key.bits ?? 0) < minimumRsaBits);
    if (tooWeak.length > 0) return result('fail', 'high', 'weak_key', { selectors: list(tooWeak), bits: Math.min(...tooWeak.map((key) => key.bits ?? 0)) });
    const short = usable.filter((key) => key.keyType === 'rsa' && (key.bits ?? 0) < recommendedRsaBits);
    if (short.length > 0) return result('warn', 'medium', 'short_key', { selectors: list(short), bits: Math.min(...short.map((key) => key.bits ?? 0)) });
    if (broken.length > 0) return result('warn', 'medium', 'invalid_record', { selectors: list(broken), error: broken[0]?.error ?? '' });
    const sha1 = usable.filter((key) => key.sha1Only);
    if (sha1.length > 0) return result('warn', 'medium', 'sha1_only', { selectors: list(sha1) });
    if (usable.length > 0) {
      if (usable.every((key) => key.testing)) return result('notice', 'low', 'testing', { selectors: list(usable) });
      return result('pass', 'info', 'pass', { selectors: list(usable), count: usable.length });
    }

    if (failedLookups.length === evidence.selectors.length && evidence.selectors.length > 0) {
      return result('error', 'info', 'lookup_failed', { reason: evidence.selectors[0]?.failure ?? 'error' });
    }
    if (evidence.mxHosts.length === 0) return result('info', 'info', 'none_no_mail');
    if (provider === 'microsoft365') return result('warn', 'medium', 'missing_microsoft365');
    if (provider === 'google') return result('warn', 'medium', 'missing_google');
    if (evidence.domainkeyNode.status === 'nxdomain') return result('warn', 'medium', 'missing');
    return result('notice', 'low', 'not_found', { count: evidence.selectors.length });
  },
};
