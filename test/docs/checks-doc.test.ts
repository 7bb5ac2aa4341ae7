import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checksDocument } from '../../scripts/checks-doc.ts';

test('docs/checks.md lists exactly the registered checks (run `npm run docs:checks` after adding one)', () => {
  const written = readFileSync(join(import.meta.dirname, '../../docs/checks.md'), 'utf8');
  assert.equal(written, checksDocument());
});
