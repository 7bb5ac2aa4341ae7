// A gatherer that throws must not take the scan down: the scan completes and the evidence
// says the gatherer failed (its checks then report `error`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import { gatherers } from '../../src/scan/gatherers.ts';

test('a throwing gatherer becomes failed evidence, the scan goes on', async () => {
  const kind = 'test.throwing';
  gatherers.push({ kind, active: false, gather: () => Promise.reject(new TypeError('boom')) });
  try {
    const scan = await scanDomain('example.test', { allowPrivate: true, resolver: '127.0.0.1:9', timeoutMs: 200, only: [kind] });
    assert.deepEqual(scan.evidence.map((e) => [e.kind, e.data]), [[kind, { gathererFailed: true, reason: 'TypeError' }]]);
    assert.deepEqual(scan.results, []);
  } finally {
    gatherers.splice(gatherers.findIndex((g) => g.kind === kind), 1);
  }
});
