import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ciphersEvidence, now } from './tls-test-evidence.ts';
import { tlsWeakCiphersCheck } from './weak-ciphers.ts';

const judge = (...args: Parameters<typeof ciphersEvidence>) => tlsWeakCiphersCheck.judge(ciphersEvidence(...args), { now });

describe('tls.weak-ciphers', () => {
  it('passes strong suites only', () => {
    const result = judge({ 'TLSv1.2': ['c02f', 'c030', 'c013'], 'TLSv1.3': ['1301', '1302'] });
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.tls.weak-ciphers.pass');
    assert.deepEqual(result.details.weak, []);
  });

  it('fails RC4 and 3DES (high), naming the suites, categories and protocols', () => {
    const result = judge({ TLSv1: ['0005', '000a', '002f'], 'TLSv1.2': ['c02f', 'c012'] });
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.tls.weak-ciphers.fail');
    assert.deepEqual(result.summaryParams, {
      suites: 'TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
      categories: 'RC4, 3DES',
      protocols: 'TLS 1.0, TLS 1.2',
    });
  });

  it('fails NULL, anonymous and EXPORT suites as critical', () => {
    for (const code of ['0002', 'c018', '0034', '0003', '0008']) {
      const result = judge({ 'TLSv1.2': ['c02f', code] });
      assert.equal(result.status, 'fail', code);
      assert.equal(result.severity, 'critical', code);
    }
    const mixed = judge({ SSLv3: ['0003', '0009', '0007', '0006'] });
    assert.equal(mixed.summaryParams.categories, 'EXPORT, RC4, DES, RC2, IDEA');
  });

  it('fails SSLv2 cipher specs and shortens long lists', () => {
    const result = judge({ SSLv2: ['0700c0', '010080'] });
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryParams.categories, 'RC4, 3DES');
    const many = judge({ 'TLSv1.2': ['0001', '0002', '0004', '0005', '000a', '0009', '0003', 'c011'] });
    assert.match(String(many.summaryParams.suites), /\(\+3\)$/);
    assert.equal((many.details.weak as unknown[]).length, 8);
  });

  it('does not claim a pass when the enumeration was cut short, and reports gathering failures', () => {
    const incomplete = judge({ 'TLSv1.2': ['c02f'] }, {}, ['TLSv1.2']);
    assert.equal(incomplete.status, 'info');
    assert.equal(incomplete.summaryKey, 'checks.tls.weak-ciphers.incomplete');
    const weakAnyway = judge({ 'TLSv1.2': ['0005'] }, {}, ['TLSv1.2']);
    assert.equal(weakAnyway.status, 'fail');
    assert.equal(judge({}, { error: 'handshake_failed' }).summaryKey, 'checks.reason.handshake_failed');
  });
});
