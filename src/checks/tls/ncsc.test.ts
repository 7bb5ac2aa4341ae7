import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cipherSuites } from '../../net/tls-hello/cipher-suites.ts';
import { tlsNcscCheck } from './ncsc.ts';
import { ncscTlsGuidelines2025 } from './ncsc-tls-guidelines.ts';
import { ciphersEvidence, now } from './tls-test-evidence.ts';

const judge = (...args: Parameters<typeof ciphersEvidence>) => tlsNcscCheck.judge(ciphersEvidence(...args), { now });

describe('tls.ncsc', () => {
  it('passes as good: TLS 1.3 with AES-256-GCM and ChaCha20 only', () => {
    const result = judge({ 'TLSv1.3': ['1302', '1303'] });
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.tls.ncsc.good');
    assert.equal(result.details.level, 'good');
    assert.equal(result.summaryParams.version, '2025-05');
  });

  it('passes as sufficient and names what keeps it from good', () => {
    const result = judge({ 'TLSv1.2': ['c02b', 'cca9'], 'TLSv1.3': ['1302', '1301'] });
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.tls.ncsc.sufficient');
    assert.equal(result.summaryParams.items, 'TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256');
  });

  it('warns about suites to phase out (ECDHE with CBC-SHA2, DHE)', () => {
    const result = judge({ 'TLSv1.2': ['c02f', 'c027', '009e'], 'TLSv1.3': ['1302'] });
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryKey, 'checks.tls.ncsc.phase_out');
    assert.equal(result.summaryParams.items, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
  });

  it('fails insufficient protocols and suites: TLS 1.0, RSA key exchange, SHA-1 CBC, 3DES, SSLv2', () => {
    assert.equal(judge({ TLSv1: ['c013'], 'TLSv1.2': ['c02f'] }).summaryParams.items, 'TLS 1.0, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    const cases: Array<Record<string, string[]>> = [{ 'TLSv1.2': ['c02f', '009c'] }, { 'TLSv1.2': ['c02f', 'c013'] }, { 'TLSv1.2': ['000a'] }, { SSLv2: ['0700c0'] }, { 'TLSv1.3': ['1305'] }];
    for (const suites of cases) {
      const result = judge(suites);
      assert.equal(result.status, 'fail', JSON.stringify(suites));
      assert.equal(result.summaryKey, 'checks.tls.ncsc.insufficient');
    }
  });

  it('lists only suites that exist in the suite table', () => {
    const names = new Set(cipherSuites.map((suite) => suite.iana));
    const { good, sufficient, phase_out } = ncscTlsGuidelines2025.suites;
    for (const name of [...good, ...sufficient, ...phase_out]) assert.ok(names.has(name), name);
  });
});
