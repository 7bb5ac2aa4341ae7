import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failedSession, host, mxEvidence, now, tlsSession, verdict } from '../../../test/mailservers/evidence.ts';
import { mailMxTlsCheck } from './mx-tls.ts';

const judge = (evidence: Parameters<typeof mailMxTlsCheck.judge>[0]) => verdict(mailMxTlsCheck.judge(evidence, { now }));
const legacyVersions = [
  { version: 'TLSv1' as const, outcome: 'accepted' as const, detail: null },
  { version: 'TLSv1.1' as const, outcome: 'accepted' as const, detail: null },
  { version: 'TLSv1.2' as const, outcome: 'accepted' as const, detail: null },
  { version: 'TLSv1.3' as const, outcome: 'refused' as const, detail: null },
];

describe('mail.mx.tls', () => {
  it('passes modern TLS with a valid certificate and reports versions and certificate', () => {
    const result = mailMxTlsCheck.judge(mxEvidence([host('mx.bakkerij.nl', tlsSession())]), { now });
    assert.deepEqual(verdict(result), ['pass', 'mx.tls.pass']);
    assert.equal(result.summaryParams.protocols, 'TLSv1.3');
    const [reported] = result.details.hosts as Array<{ protocol: string; versions: unknown[]; certificate: { daysLeft: number } }>;
    assert.equal(reported?.protocol, 'TLSv1.3');
    assert.equal(reported?.versions.length, 4);
    assert.equal(reported?.certificate.daysLeft, 56);
  });

  it('warns when TLS 1.0/1.1 are still accepted, and harder when nothing newer is', () => {
    const result = mailMxTlsCheck.judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ protocol: 'TLSv1.2', versions: legacyVersions }))]), { now });
    assert.deepEqual(verdict(result), ['warn', 'mx.tls.legacy_accepted']);
    assert.equal(result.summaryParams.versions, 'TLSv1, TLSv1.1');
    const only = mailMxTlsCheck.judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ protocol: 'TLSv1', versions: null }))]), { now });
    assert.deepEqual(verdict(only), ['warn', 'mx.tls.legacy_only']);
    assert.equal(only.severity, 'high');
  });

  it('gives a notice, not a failure, for a name mismatch or an untrusted chain', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ certificate: { hostnameMatches: false, subjectAltNames: ['DNS:server17.hoster.nl'] } }))])), ['notice', 'mx.tls.name_mismatch']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))])), ['notice', 'mx.tls.certificate_untrusted']);
  });

  it('warns about an expired certificate and a short RSA key', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ chainTrusted: false, chainError: 'CERT_HAS_EXPIRED', certificate: { validTo: '2026-11-30T00:00:00.000Z' } }))])), ['warn', 'mx.tls.certificate_expired']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession({ certificate: { keyType: 'rsa', keyBits: 1024 } }))])), ['warn', 'mx.tls.weak_key']);
  });

  it('does not penalise the provider of hosted mail', () => {
    const session = tlsSession({ protocol: 'TLSv1.2', versions: legacyVersions, certificate: { hostnameMatches: false } });
    assert.deepEqual(judge(mxEvidence([host('aspmx.l.google.com', session)])), ['pass', 'mx.tls.provider_managed']);
  });

  it('has nothing to judge without TLS, and says why', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('starttls_not_offered'))])), ['info', 'mx.tls.no_tls']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('timeout'))])), ['error', 'mx.tls.unreachable']);
    assert.deepEqual(judge(mxEvidence([])), ['info', 'mx.no_mx']);
  });
});
