import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tlsLegacyProtocolsCheck } from './legacy-protocols.ts';
import { now, protocolsEvidence } from './tls-test-evidence.ts';

const judge = (accepted: string[], overrides = {}) => tlsLegacyProtocolsCheck.judge(protocolsEvidence(accepted, overrides), { now });

describe('tls.legacy-protocols', () => {
  it('passes TLS 1.2 with 1.3, and TLS 1.3 alone', () => {
    const result = judge(['TLSv1.2', 'TLSv1.3']);
    assert.equal(result.checkId, 'tls.legacy-protocols');
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.tls.legacy-protocols.pass');
    assert.deepEqual(result.summaryParams, { protocols: 'TLS 1.2, TLS 1.3' });
    assert.equal(judge(['TLSv1.3']).status, 'pass');
  });

  it('notices a server without TLS 1.3', () => {
    const result = judge(['TLSv1.2']);
    assert.equal(result.status, 'notice');
    assert.equal(result.severity, 'low');
    assert.equal(result.summaryKey, 'checks.tls.legacy-protocols.no_tls13');
  });

  it('fails TLS 1.0 and 1.1 (medium) and SSL (high), naming them', () => {
    const tls = judge(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    assert.equal(tls.status, 'fail');
    assert.equal(tls.severity, 'medium');
    assert.deepEqual(tls.summaryParams, { protocols: 'TLS 1.0, TLS 1.1' });
    assert.deepEqual(tls.details.legacy, ['TLSv1', 'TLSv1.1']);
    const ssl = judge(['SSLv2', 'SSLv3', 'TLSv1']);
    assert.equal(ssl.severity, 'high');
    assert.deepEqual(ssl.summaryParams, { protocols: 'SSL 2, SSL 3, TLS 1.0' });
    assert.equal(judge(['TLSv1.1', 'TLSv1.2']).status, 'fail');
  });

  it('keeps protocols it could not ask about in the details, and reports gathering failures as errors', () => {
    const evidence = protocolsEvidence(['TLSv1.2', 'TLSv1.3']);
    evidence.protocols[2] = { protocol: 'TLSv1', accepted: null, via: null, detail: 'timeout answer' };
    const result = tlsLegacyProtocolsCheck.judge(evidence, { now });
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.details.unknown, ['TLSv1']);
    const failed = judge([], { error: 'timeout', errorDetail: 'connect' });
    assert.equal(failed.status, 'error');
    assert.equal(failed.summaryKey, 'checks.reason.timeout');
    assert.deepEqual(failed.summaryParams, { host: 'www.bakkerij.nl', address: '145.100.1.1' });
  });
});
