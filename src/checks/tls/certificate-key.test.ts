import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tlsCertificateKeyCheck } from './certificate-key.ts';
import { certificateEvidence, link, now } from './tls-test-evidence.ts';

const judge = (...args: Parameters<typeof certificateEvidence>) => tlsCertificateKeyCheck.judge(certificateEvidence(...args), { now });

describe('tls.certificate.key', () => {
  it('passes EC 256 and RSA 2048 and up', () => {
    assert.deepEqual(judge().summaryParams, { key: 'EC 256' });
    assert.equal(judge().status, 'pass');
    assert.equal(judge({}, { keyType: 'rsa', keyBits: 2048, keyCurve: null }).status, 'pass');
    assert.equal(judge({}, { keyType: 'ed25519', keyBits: null, keyCurve: null }).summaryKey, 'checks.tls.certificate.key.unknown');
  });

  it('fails RSA below 2048, EC below 256 and DSA, naming the certificate', () => {
    const rsa = judge({}, { keyType: 'rsa', keyBits: 1024 });
    assert.equal(rsa.status, 'fail');
    assert.equal(rsa.severity, 'high');
    assert.equal(rsa.summaryKey, 'checks.tls.certificate.key.weak');
    assert.equal(rsa.summaryParams.keys, 'RSA 1024 (CN=www.bakkerij.nl)');
    assert.equal(judge({}, { keyType: 'ec', keyBits: 224 }).status, 'fail');
    assert.equal(judge({}, { keyType: 'dsa', keyBits: 2048 }).status, 'fail');
    assert.equal(judge({}, { keyType: 'rsa', keyBits: 2047 }).status, 'fail');
  });

  it('fails a weak intermediate the server sends, but not a root', () => {
    const leaf = link('www.bakkerij.nl', 'Old CA');
    const weakIntermediate = link('Old CA', 'Root', { keyType: 'rsa', keyBits: 1024 });
    assert.equal(judge({ sentChain: [leaf, weakIntermediate] }).summaryParams.keys, 'RSA 1024 (CN=Old CA)');
    const weakRoot = link('Root', 'Root', { keyType: 'rsa', keyBits: 1024 });
    assert.equal(judge({ sentChain: [leaf, weakRoot] }).status, 'pass');
  });
});
