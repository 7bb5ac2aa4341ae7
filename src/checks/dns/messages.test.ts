// The DNS and reputation checks' messages exist in Dutch and English, including the keys with a
// hyphen (check ids like dns.zone-transfer) that the general catalogue test cannot see.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasMessage } from '../../i18n/index.ts';
import { dnsChecks } from './dns-checks.ts';
import { dnsFailureReasons } from './outcome.ts';
import { dnssecErrorReasons } from './dnssec.ts';

test('every literal message key of the DNS and reputation checks exists in both languages', () => {
  const keys = new Set<string>(dnsChecks.flatMap((check) => [check.titleKey, check.remediationKey]));
  for (const directory of [import.meta.dirname, join(import.meta.dirname, '../reputation')]) {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const text = readFileSync(join(directory, file), 'utf8');
      for (const match of text.matchAll(/'(checks\.(?:dns|reputation)\.[a-z0-9_.-]*[a-z_])'/g)) keys.add(match[1] as string);
    }
  }
  for (const reason of [...dnsFailureReasons, ...dnssecErrorReasons]) keys.add(`checks.dns.reason.${reason}`);
  assert.ok(keys.size > 40);
  const missing = [...keys].flatMap((key) => (['nl', 'en'] as const).filter((language) => !hasMessage(language, key)).map((language) => `${language}:${key}`));
  assert.deepEqual(missing, []);
});
