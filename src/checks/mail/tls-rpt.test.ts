import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { now, tlsRptEvidence, verdict } from '../../../test/mailservers/evidence.ts';
import { mailTlsRptCheck } from './tls-rpt.ts';

const judge = (evidence: Parameters<typeof mailTlsRptCheck.judge>[0]) => verdict(mailTlsRptCheck.judge(evidence, { now }));

describe('mail.tls-rpt', () => {
  it('passes one valid record and names where reports go', () => {
    const result = mailTlsRptCheck.judge(tlsRptEvidence(['v=TLSRPTv1; rua=mailto:tls@bakkerij.nl']), { now });
    assert.deepEqual(verdict(result), ['pass', 'tls-rpt.pass']);
    assert.equal(result.summaryParams.destinations, 'mailto:tls@bakkerij.nl');
  });

  it('notices a missing record and warns about records senders ignore', () => {
    assert.deepEqual(judge(tlsRptEvidence([])), ['notice', 'tls-rpt.missing']);
    assert.deepEqual(judge(tlsRptEvidence(['v=spf1 -all'])), ['notice', 'tls-rpt.missing']);
    assert.deepEqual(judge(tlsRptEvidence(['v=TLSRPTv1; rua=mailto:a@b.nl', 'v=TLSRPTv1; rua=mailto:c@d.nl'])), ['warn', 'tls-rpt.multiple_records']);
    assert.deepEqual(judge(tlsRptEvidence(['v=TLSRPTv1; rua=http://insecure.example/'])), ['warn', 'tls-rpt.invalid_record']);
  });

  it('is informational without MX; an error when DNS failed', () => {
    assert.deepEqual(judge(tlsRptEvidence([], { mxHosts: [], mxLookup: { status: 'nodata', failure: null } })), ['info', 'mx.no_mx']);
    assert.deepEqual(judge(tlsRptEvidence([], { record: { status: 'error', failure: 'timeout', txt: [] } })), ['error', 'tls-rpt.lookup_failed']);
  });
});
