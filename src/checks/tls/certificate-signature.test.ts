import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tlsCertificateSignatureCheck } from './certificate-signature.ts';
import { certificateEvidence, link, now } from './tls-test-evidence.ts';

const judge = (...args: Parameters<typeof certificateEvidence>) => tlsCertificateSignatureCheck.judge(certificateEvidence(...args), { now });

describe('tls.certificate.signature', () => {
  it('passes SHA-256 signatures', () => {
    const result = judge();
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.summaryParams, { algorithm: 'ecdsa-with-SHA256' });
  });

  it('fails a SHA-1 or MD5 signed leaf', () => {
    for (const algorithm of ['sha1WithRSAEncryption', 'ecdsa-with-SHA1', 'md5WithRSAEncryption', 'RSA-SHA1']) {
      const result = judge({}, { signatureAlgorithm: algorithm });
      assert.equal(result.status, 'fail', algorithm);
      assert.equal(result.severity, 'high');
      assert.equal(result.summaryKey, 'checks.tls.certificate.signature.weak');
    }
    assert.deepEqual(judge({}, { signatureAlgorithm: 'sha1WithRSAEncryption' }).summaryParams, { algorithms: 'sha1WithRSAEncryption', certificates: 'CN=www.bakkerij.nl' });
  });

  it('fails a SHA-1 intermediate but ignores a SHA-1 self-signed root', () => {
    const leaf = link('www.bakkerij.nl', 'Old CA');
    const intermediate = link('Old CA', 'Root', { signatureAlgorithm: 'sha1WithRSAEncryption' });
    const root = link('Root', 'Root', { signatureAlgorithm: 'sha1WithRSAEncryption' });
    assert.equal(judge({ chain: [leaf, intermediate, root], sentChain: [leaf, intermediate] }).summaryParams.certificates, 'CN=Old CA');
    const fine = link('Good CA', 'Root');
    assert.equal(judge({ chain: [leaf, fine, root], sentChain: [leaf, fine] }).status, 'pass');
  });
});
