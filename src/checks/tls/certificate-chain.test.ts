import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certificateEvidenceSchema } from '../../evidence/tls/certificate-evidence.ts';
import { tlsCertificateChainCheck } from './certificate-chain.ts';
import { certificateEvidence, link, now } from './tls-test-evidence.ts';

const judge = (...args: Parameters<typeof certificateEvidence>) => tlsCertificateChainCheck.judge(certificateEvidenceSchema.parse(certificateEvidence(...args)), { now });

describe('tls.certificate.chain', () => {
  it('passes when the server sends every certificate below the root (sending the root too is fine)', () => {
    const result = judge();
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.summaryParams, { count: 2 });
    const withRoot = certificateEvidence();
    withRoot.tls!.sentChain = withRoot.tls!.chain;
    assert.equal(tlsCertificateChainCheck.judge(withRoot, { now }).status, 'pass');
  });

  it('fails when the intermediate only came from the local trust store', () => {
    const result = judge({ sentChain: [link('www.bakkerij.nl', 'R11')] });
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.tls.certificate.chain.missing');
    assert.deepEqual(result.summaryParams, { missing: 'R11' });
  });

  it('fails an untrusted leaf whose issuer (named in AIA) the server does not send', () => {
    const leaf = link('www.bakkerij.nl', 'R11');
    const result = judge({ chain: [leaf], sentChain: [leaf], chainTrusted: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.chain.incomplete');
    assert.deepEqual(result.summaryParams, { issuer: 'R11' });
  });

  it('does not guess without AIA, for self-signed certificates, or for old evidence', () => {
    const leaf = link('intranet', 'Private CA');
    assert.equal(judge({ chain: [leaf], sentChain: [leaf], chainTrusted: false }, { caIssuers: [] }).summaryKey, 'checks.tls.certificate.chain.unknown_issuer');
    const self = link('www.bakkerij.nl', 'www.bakkerij.nl');
    assert.equal(judge({ chain: [self], sentChain: [self] }, { selfSigned: true }).summaryKey, 'checks.tls.certificate.chain.self_signed');
    const old = certificateEvidence();
    delete old.tls!.sentChain;
    old.tls!.chain = old.tls!.chain.map(({ subject, issuer }) => ({ subject, issuer }));
    const result = tlsCertificateChainCheck.judge(certificateEvidenceSchema.parse(old), { now });
    assert.equal(result.status, 'info');
    assert.equal(result.summaryKey, 'checks.tls.certificate.chain.unknown');
  });

  it('reports gathering failures as errors', () => {
    const failed = certificateEvidence();
    failed.error = 'timeout';
    failed.tls = null;
    assert.equal(tlsCertificateChainCheck.judge(failed, { now }).summaryKey, 'checks.reason.timeout');
  });
});
