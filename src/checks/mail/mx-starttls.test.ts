import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failedSession, host, mxEvidence, now, tlsSession, verdict } from '../../../test/mailservers/evidence.ts';
import { mailMxStarttlsCheck } from './mx-starttls.ts';

const judge = (evidence: Parameters<typeof mailMxStarttlsCheck.judge>[0]) => verdict(mailMxStarttlsCheck.judge(evidence, { now }));

describe('mail.mx.starttls', () => {
  it('passes when every MX offers STARTTLS and completes TLS', () => {
    const result = mailMxStarttlsCheck.judge(mxEvidence([host('mx1.bakkerij.nl', tlsSession()), host('mx2.bakkerij.nl', tlsSession())]), { now });
    assert.deepEqual(verdict(result), ['pass', 'mx.starttls.pass']);
    assert.equal(result.summaryParams.count, 2);
  });

  it('fails when one self-hosted MX offers no STARTTLS, naming it', () => {
    const result = mailMxStarttlsCheck.judge(mxEvidence([host('mx1.bakkerij.nl', tlsSession()), host('backup.bakkerij.nl', failedSession('starttls_not_offered'))]), { now });
    assert.deepEqual(verdict(result), ['fail', 'mx.starttls.missing']);
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryParams.hosts, 'backup.bakkerij.nl');
  });

  it('fails when STARTTLS is offered but TLS cannot be set up', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('handshake_failed', { failureDetail: 'ERR_SSL_WRONG_VERSION_NUMBER' }))])), ['fail', 'mx.starttls.broken']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('starttls_rejected'))])), ['fail', 'mx.starttls.broken']);
  });

  it('warns about plaintext sent after the STARTTLS reply', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', { ...tlsSession(), bytesAfterStarttls: 34 })])), ['warn', 'mx.starttls.injection']);
  });

  it('never fails hosted mail for the provider', () => {
    assert.deepEqual(judge(mxEvidence([host('bakkerij-nl.mail.protection.outlook.com', failedSession('starttls_not_offered'))])), ['notice', 'mx.starttls.provider_problem']);
  });

  it('reports unreachable servers as not measured, or a notice when others answered', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('timeout'))])), ['error', 'mx.starttls.unreachable']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', null)])), ['error', 'mx.starttls.unreachable']);
    assert.deepEqual(judge(mxEvidence([host('mx1.bakkerij.nl', tlsSession()), host('mx2.bakkerij.nl', failedSession('connection_refused'))])), ['notice', 'mx.starttls.partly_unreachable']);
  });

  it('is informational without MX or with a null MX, an error when the MX lookup failed', () => {
    assert.deepEqual(judge(mxEvidence([])), ['info', 'mx.no_mx']);
    assert.deepEqual(judge(mxEvidence([], { nullMx: true, lookup: { status: 'ok', failure: null }, records: [{ preference: 0, exchange: '' }] })), ['info', 'mx.null_mx']);
    assert.deepEqual(judge(mxEvidence([], { lookup: { status: 'error', failure: 'timeout' } })), ['error', 'mx.lookup_failed']);
  });
});
