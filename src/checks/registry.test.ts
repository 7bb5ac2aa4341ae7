import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checks, checksFor, findCheck, judgeAll } from './registry.ts';

const now = new Date('2026-06-01T12:00:00.000Z');

describe('check registry', () => {
  it('has unique ids and complete metadata', () => {
    const ids = checks.map((check) => check.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const check of checks) {
      assert.match(check.id, /^[a-z]+(\.[a-z0-9-]+)+$/);
      assert.ok(Number.isInteger(check.version) && check.version >= 1);
      assert.equal(check.titleKey, `checks.${check.id}.title`);
      assert.equal(check.remediationKey, `checks.${check.id}.remediation`);
      assert.ok(check.references.every((reference) => reference.url.startsWith('https://')));
    }
  });

  it('finds checks by id and by evidence kind', () => {
    assert.equal(findCheck('tls.certificate')?.area, 'tls');
    assert.equal(findCheck('no.such.check'), undefined);
    assert.deepEqual(checksFor('tls.certificate').map((check) => check.id), ['tls.certificate', 'tls.certificate.chain', 'tls.certificate.key', 'tls.certificate.signature']);
    assert.deepEqual(checksFor('unknown.kind'), []);
  });

  it('judges valid evidence and turns corrupt evidence into an error result', () => {
    const good = {
      kind: 'tls.certificate',
      gatheredAt: now.toISOString(),
      data: {
        host: 'bakkerij.nl',
        port: 443,
        addresses: [],
        refusedAddresses: [],
        address: null,
        error: 'no_address',
        errorDetail: null,
        tls: null,
      },
    };
    const corrupt = { kind: 'tls.certificate', gatheredAt: now.toISOString(), data: { host: 42, tls: 'nope' } };
    const foreign = { kind: 'unknown.kind', gatheredAt: now.toISOString(), data: {} };
    const results = judgeAll([good, corrupt, foreign], now);
    const perKind = checksFor('tls.certificate').length;
    assert.equal(results.length, 2 * perKind);
    assert.equal(results[0]?.summaryKey, 'checks.reason.no_address');
    assert.equal(results[perKind]?.status, 'error');
    assert.equal(results[perKind]?.summaryKey, 'checks.reason.evidence_invalid');
  });
});
