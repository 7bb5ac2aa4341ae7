import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CertificateEvidence, certificateEvidenceSchema, type TlsSession } from '../../evidence/tls/certificate-evidence.ts';
import { tlsCertificateCheck } from './certificate.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const day = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(now.getTime() + days * day).toISOString();

function evidence(overrides: { tls?: Partial<TlsSession>; certificate?: Partial<TlsSession['certificate']>; base?: Partial<CertificateEvidence> } = {}): CertificateEvidence {
  const data: CertificateEvidence = {
    host: 'www.bakkerij.nl',
    port: 443,
    addresses: ['145.100.1.1'],
    refusedAddresses: [],
    address: '145.100.1.1',
    error: null,
    errorDetail: null,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      chainTrusted: true,
      chainError: null,
      hostnameMatches: true,
      hostnameError: null,
      certificate: {
        subject: 'CN=www.bakkerij.nl',
        issuer: 'CN=R11, O=Let\'s Encrypt, C=US',
        subjectAltNames: ['DNS:www.bakkerij.nl', 'DNS:bakkerij.nl'],
        serialNumber: '01',
        validFrom: inDays(-30),
        validTo: inDays(60),
        fingerprintSha256: 'AA:BB',
        keyType: 'ec',
        keyBits: 256,
        keyCurve: 'prime256v1',
        signatureAlgorithm: 'ecdsa-with-SHA256',
        selfSigned: false,
        ...overrides.certificate,
      },
      chain: [{ subject: 'CN=www.bakkerij.nl', issuer: 'CN=R11' }],
      ...overrides.tls,
    },
    ...overrides.base,
  };
  return certificateEvidenceSchema.parse(data);
}

const judge = (data: CertificateEvidence) => tlsCertificateCheck.judge(data, { now });

describe('tls.certificate', () => {
  it('passes a trusted, matching certificate with the days it has left', () => {
    const result = judge(evidence());
    assert.equal(result.checkId, 'tls.certificate');
    assert.equal(result.checkVersion, 1);
    assert.equal(result.status, 'pass');
    assert.equal(result.severity, 'info');
    assert.equal(result.summaryKey, 'checks.tls.certificate.pass');
    assert.deepEqual(result.summaryParams, { days: 60, date: inDays(60).slice(0, 10) });
    assert.deepEqual(result.details.problems, []);
  });

  it('warns within 14 days and notices within 30 days of expiry', () => {
    assert.equal(judge(evidence({ certificate: { validTo: inDays(31) } })).status, 'pass');
    const month = judge(evidence({ certificate: { validTo: inDays(30) } }));
    assert.equal(month.status, 'notice');
    assert.equal(month.summaryKey, 'checks.tls.certificate.expires_within_month');
    assert.equal(month.severity, 'low');
    assert.equal(judge(evidence({ certificate: { validTo: inDays(15) } })).status, 'notice');
    const soon = judge(evidence({ certificate: { validTo: inDays(14) } }));
    assert.equal(soon.status, 'warn');
    assert.equal(soon.severity, 'medium');
    assert.equal(soon.summaryParams.days, 14);
    assert.equal(judge(evidence({ certificate: { validTo: inDays(0.5) } })).summaryParams.days, 0);
  });

  it('fails an expired certificate, even when OpenSSL called it untrusted for that reason', () => {
    const result = judge(evidence({ certificate: { validTo: inDays(-3) }, tls: { chainTrusted: false, chainError: 'CERT_HAS_EXPIRED' } }));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.tls.certificate.expired');
    assert.equal(result.summaryParams.days, 3);
    assert.deepEqual(result.details.problems, ['expired']);
  });

  it('fails a certificate that is not valid yet', () => {
    const result = judge(evidence({ certificate: { validFrom: inDays(2) }, tls: { chainTrusted: false, chainError: 'CERT_NOT_YET_VALID' } }));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.not_yet_valid');
    assert.deepEqual(result.details.problems, ['not_yet_valid']);
  });

  it('fails an untrusted chain and names the reason', () => {
    const result = judge(evidence({ tls: { chainTrusted: false, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' } }));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.untrusted');
    assert.equal(result.summaryParams.reason, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it('treats an expired intermediate as untrusted while the leaf is in date', () => {
    const result = judge(evidence({ tls: { chainTrusted: false, chainError: 'CERT_HAS_EXPIRED' } }));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.untrusted');
    assert.equal(result.summaryParams.reason, 'CERT_HAS_EXPIRED');
  });

  it('fails a self-signed certificate', () => {
    const result = judge(evidence({ tls: { chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, certificate: { selfSigned: true } }));
    assert.equal(result.summaryKey, 'checks.tls.certificate.self_signed');
  });

  it('fails a certificate for another name and lists the names it does cover', () => {
    const result = judge(evidence({ tls: { hostnameMatches: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' } }));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.hostname_mismatch');
    assert.deepEqual(result.summaryParams, { host: 'www.bakkerij.nl', names: 'www.bakkerij.nl, bakkerij.nl' });
  });

  it('reports the most serious problem first and keeps the others in the details', () => {
    const result = judge(
      evidence({
        certificate: { validTo: inDays(-1), selfSigned: true },
        tls: { chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT', hostnameMatches: false },
      }),
    );
    assert.equal(result.summaryKey, 'checks.tls.certificate.expired');
    assert.deepEqual(result.details.problems, ['expired', 'self_signed', 'hostname_mismatch']);
  });

  it('reports gathering failures as errors with a reason key', () => {
    const result = judge(evidence({ base: { error: 'connection_refused', errorDetail: 'ECONNREFUSED', tls: null } }));
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.reason.connection_refused');
    assert.deepEqual(result.summaryParams, { host: 'www.bakkerij.nl', address: '145.100.1.1' });
    assert.equal(result.details.reason, 'connection_refused');
    assert.equal(result.details.reasonDetail, 'ECONNREFUSED');

    const refused = judge(evidence({ base: { error: 'target_refused', address: null, refusedAddresses: ['10.0.0.1'], tls: null } }));
    assert.equal(refused.summaryKey, 'checks.reason.target_refused');
    assert.deepEqual(refused.details.refusedAddresses, ['10.0.0.1']);
  });
});
