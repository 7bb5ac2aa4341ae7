// Every message key the checks can produce exists in both languages, with the placeholders the
// check fills in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatherFailures } from '../evidence/tls/certificate-evidence.ts';
import { hasMessage, languages, t } from '../i18n/index.ts';
import { checks } from './registry.ts';

const summaryKeys: Record<string, string[]> = {
  'checks.tls.certificate.pass': ['days', 'date'],
  'checks.tls.certificate.expires_within_month': ['days', 'date'],
  'checks.tls.certificate.expires_soon': ['days', 'date'],
  'checks.tls.certificate.expired': ['days', 'date'],
  'checks.tls.certificate.not_yet_valid': ['date'],
  'checks.tls.certificate.self_signed': [],
  'checks.tls.certificate.untrusted': ['reason'],
  'checks.tls.certificate.hostname_mismatch': ['host', 'names'],
};

describe('check messages', () => {
  for (const language of languages) {
    it(`has every title, remediation, summary and reason in ${language}`, () => {
      const keys = [
        ...checks.flatMap((check) => [check.titleKey, check.remediationKey]),
        ...Object.keys(summaryKeys),
        ...[...gatherFailures, 'evidence_invalid', 'check_failed'].map((reason) => `checks.reason.${reason}`),
        ...['pass', 'notice', 'warn', 'fail', 'info', 'error'].map((status) => `checks.status.${status}`),
      ];
      for (const key of keys) assert.ok(hasMessage(language, key), `${language}: ${key}`);
      for (const [key, placeholders] of Object.entries(summaryKeys)) {
        const params = Object.fromEntries(placeholders.map((name) => [name, `<${name}>`]));
        const text = t(language, key, params);
        assert.doesNotMatch(text, /\{\w+\}/, `${language}: ${key} has an unfilled placeholder`);
        for (const name of placeholders) assert.ok(text.includes(`<${name}>`), `${language}: ${key} lacks {${name}}`);
      }
    });
  }
});
