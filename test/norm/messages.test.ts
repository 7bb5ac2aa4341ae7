// The norm's and the certificate's messages exist in Dutch and English: every literal key in the
// code, and every key built from a state, level or pillar.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasMessage } from '../../src/i18n/index.ts';

const source = join(import.meta.dirname, '../../src');
const files = (directory: string): string[] =>
  readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
// Action names that look like keys.
const notKeys = new Set(['norm.view']);

test('every literal norm.* and certificates.* key in the code exists in nl and en', () => {
  const missing: string[] = [];
  for (const file of files(source)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/['`]((?:norm|certificates)\.[a-z_][\w.]*[a-z_])['`]/gi)) {
      const key = match[1]!;
      // `certificates.valid_from` with one segment is a SQL column of the certificates table.
      if (notKeys.has(key) || (key.startsWith('certificates.') && key.split('.').length < 3)) continue;
      for (const lang of ['nl', 'en'] as const) if (!hasMessage(lang, key)) missing.push(`${lang}:${key} (${file.slice(source.length + 1)})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('keys built from values exist for every value', () => {
  const families: Record<string, string[]> = {
    'certificates.state': ['pending_approval', 'issued', 'warned', 'renewed', 'lapsed', 'revoked', 'expired'],
    'certificates.cli': ['valid', 'tampered', 'unknown_key', 'expired'],
    'certificates.document': ['certificate', 'certifies', 'kvk', 'validFrom', 'validUntil', 'programme', 'level', 'norm', 'measured', 'notMeasured', 'number', 'verify', 'signed', 'key'],
    'norm.level': ['mandatory', 'advisory'],
    'norm.pillar': ['people', 'it', 'processes'],
    'norm.month_status': ['compliant', 'non_compliant', 'not_assessed'],
    'norm.control_state': ['passing', 'failing', 'not_measured'],
  };
  for (const [prefix, values] of Object.entries(families)) {
    for (const value of values) for (const lang of ['nl', 'en'] as const) assert.ok(hasMessage(lang, `${prefix}.${value}`), `${lang}:${prefix}.${value}`);
  }
});
