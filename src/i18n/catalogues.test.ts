// The catalogues stay complete: Dutch and English have the same keys with the same
// placeholders, and every literal message key the code uses exists.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checks } from '../checks/registry.ts';
import { hasMessage, messageKeys, t } from './index.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

test('nl and en have the same keys and the same placeholders', () => {
  const nl = messageKeys('nl').sort();
  const en = messageKeys('en').sort();
  assert.deepEqual(en.filter((key) => !nl.includes(key)), [], 'keys only in en');
  assert.deepEqual(nl.filter((key) => !en.includes(key)), [], 'keys only in nl');
  for (const key of nl) assert.deepEqual(placeholders(t('en', key)), placeholders(t('nl', key)), key);
});

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

// Names that look like message keys but are not: audit actions, queue names, and the ids of
// checks and evidence kinds (`mail.spf`, `mail.dmarc`, …).
const notMessageKeys = new Set(['mail.failed', 'mail.send', ...checks.flatMap((check) => [check.id, check.evidenceKind])]);

test('every message key written literally in the code exists in both languages', () => {
  const source = join(import.meta.dirname, '..');
  const missing: string[] = [];
  for (const file of sourceFiles(source)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/['`]((?:ui|errors|validation|auth|mail|checks)\.[a-z_][\w.-]*[a-z_])['`]/gi)) {
      const key = match[1]!;
      if (notMessageKeys.has(key)) continue;
      for (const lang of ['nl', 'en'] as const) if (!hasMessage(lang, key)) missing.push(`${lang}:${key} (${file.slice(source.length + 1)})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('keys built from a status or role exist for every value', () => {
  const families: Record<string, string[]> = {
    'ui.status': ['aangemeld', 'aangesloten', 'gemonitord', 'voldoet', 'gecertificeerd'],
    'ui.result_status': ['pass', 'notice', 'warn', 'fail', 'info', 'error'],
    'ui.role': ['platform_admin', 'coordinator', 'it_partner', 'student', 'director', 'contact_it', 'contact_hr', 'contact_web', 'insurer'],
    'ui.error_title': ['validation', 'not_found', 'unauthenticated', 'forbidden', 'conflict', 'csrf', 'rate_limited', 'locked', 'target_refused', 'invalid_token', 'mfa_required', 'internal'],
    'ui.contact_role': ['director', 'it', 'hr', 'web'],
    'ui.verification': ['unverified', 'verified', 'attested'],
    'ui.scan_status': ['running', 'completed', 'failed'],
  };
  for (const [prefix, values] of Object.entries(families)) {
    for (const value of values) for (const lang of ['nl', 'en'] as const) assert.ok(hasMessage(lang, `${prefix}.${value}`), `${lang}:${prefix}.${value}`);
  }
});
