import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tlsForwardSecrecyCheck } from './forward-secrecy.ts';
import { ciphersEvidence, now } from './tls-test-evidence.ts';

const judge = (...args: Parameters<typeof ciphersEvidence>) => tlsForwardSecrecyCheck.judge(ciphersEvidence(...args), { now });

describe('tls.forward-secrecy', () => {
  it('passes when every suite has forward secrecy (ECDHE, DHE, TLS 1.3)', () => {
    const result = judge({ 'TLSv1.2': ['c02f', '009e'], 'TLSv1.3': ['1301'] });
    assert.equal(result.status, 'pass');
    assert.equal(result.details.withForwardSecrecy, 3);
  });

  it('warns when some suites use RSA key exchange, counting each suite once', () => {
    const result = judge({ 'TLSv1.1': ['c013', '002f'], 'TLSv1.2': ['c02f', '009c', '002f'] });
    assert.equal(result.status, 'warn');
    assert.equal(result.severity, 'medium');
    assert.deepEqual(result.summaryParams, { count: 2, suites: 'TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256' });
  });

  it('fails when no suite has forward secrecy; anonymous key exchange does not count', () => {
    const result = judge({ 'TLSv1.2': ['009c', '009d', '0034'] });
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.tls.forward-secrecy.none');
  });

  it('says so when no suites were found, and reports gathering failures', () => {
    assert.equal(judge({}, {}, ['TLSv1.2']).summaryKey, 'checks.tls.forward-secrecy.incomplete');
    assert.equal(judge({}, { error: 'connection_refused' }).status, 'error');
  });
});
