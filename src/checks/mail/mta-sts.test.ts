import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mtaStsEvidence, now, verdict } from '../../../test/mailservers/evidence.ts';
import { mailMtaStsCheck } from './mta-sts.ts';

const judge = (evidence: Parameters<typeof mailMtaStsCheck.judge>[0]) => verdict(mailMtaStsCheck.judge(evidence, { now }));
const policy = (lines: string[]) => ({ body: `${lines.join('\r\n')}\r\n` });

describe('mail.mta-sts', () => {
  it('passes an enforced policy that admits every MX', () => {
    const result = mailMtaStsCheck.judge(mtaStsEvidence(), { now });
    assert.deepEqual(verdict(result), ['pass', 'mta-sts.pass']);
    assert.equal(result.summaryParams.days, 7);
  });

  it('fails an enforced policy that leaves out a real MX', () => {
    const result = mailMtaStsCheck.judge(
      mtaStsEvidence({ mxHosts: ['mx1.bakkerij.nl', 'filter.spamdienst.nl'] }, policy(['version: STSv1', 'mode: enforce', 'mx: *.bakkerij.nl', 'max_age: 604800'])),
      { now },
    );
    assert.deepEqual(verdict(result), ['fail', 'mta-sts.mx_mismatch']);
    assert.equal(result.summaryParams.hosts, 'filter.spamdienst.nl');
    assert.equal(result.severity, 'high');
  });

  it('accepts the Microsoft 365 pattern for a hosted MX', () => {
    const evidence = mtaStsEvidence({ mxHosts: ['bakkerij-nl.mail.protection.outlook.com'] }, policy(['version: STSv1', 'mode: enforce', 'mx: *.mail.protection.outlook.com', 'max_age: 1209600']));
    assert.deepEqual(judge(evidence), ['pass', 'mta-sts.pass']);
  });

  it('reads the modes', () => {
    assert.deepEqual(judge(mtaStsEvidence({}, policy(['version: STSv1', 'mode: testing', 'mx: *.bakkerij.nl', 'max_age: 604800']))), ['notice', 'mta-sts.mode_testing']);
    assert.deepEqual(judge(mtaStsEvidence({}, policy(['version: STSv1', 'mode: none', 'max_age: 604800']))), ['notice', 'mta-sts.mode_none']);
    assert.deepEqual(judge(mtaStsEvidence({}, policy(['version: STSv1', 'mode: testing', 'mx: other.nl', 'max_age: 604800']))), ['warn', 'mta-sts.mx_mismatch_testing']);
    assert.deepEqual(judge(mtaStsEvidence({}, policy(['version: STSv1', 'mode: enforce', 'mx: *.bakkerij.nl', 'max_age: 300']))), ['notice', 'mta-sts.short_max_age']);
  });

  it('notices a missing policy; warns about records and policies senders would ignore', () => {
    assert.deepEqual(judge(mtaStsEvidence({ record: { status: 'nxdomain', failure: null, txt: [] } }, null)), ['notice', 'mta-sts.missing']);
    assert.deepEqual(judge(mtaStsEvidence({ record: { status: 'ok', failure: null, txt: ['v=STSv1; id=1', 'v=STSv1; id=2'] } })), ['warn', 'mta-sts.multiple_records']);
    assert.deepEqual(judge(mtaStsEvidence({ record: { status: 'ok', failure: null, txt: ['v=STSv1; id=not-valid!'] } })), ['warn', 'mta-sts.invalid_record']);
    assert.deepEqual(judge(mtaStsEvidence({}, { failure: 'redirect', status: 301, redirectLocation: 'https://www.bakkerij.nl/', body: null })), ['warn', 'mta-sts.policy_redirect']);
    assert.deepEqual(judge(mtaStsEvidence({}, { failure: 'no_address', status: null, body: null })), ['warn', 'mta-sts.policy_unavailable']);
    assert.deepEqual(judge(mtaStsEvidence({}, { status: 404 })), ['warn', 'mta-sts.policy_unavailable']);
    assert.deepEqual(judge(mtaStsEvidence({}, { tlsVerified: false, tlsError: 'ERR_TLS_CERT_ALTNAME_INVALID' })), ['warn', 'mta-sts.policy_certificate']);
    assert.deepEqual(judge(mtaStsEvidence({}, { contentType: 'text/html' })), ['warn', 'mta-sts.policy_media_type']);
    assert.deepEqual(judge(mtaStsEvidence({}, { body: '<html>not a policy</html>' })), ['warn', 'mta-sts.policy_invalid']);
  });

  it('is informational without MX; an error when DNS failed', () => {
    assert.deepEqual(judge(mtaStsEvidence({ mxHosts: [], mxLookup: { status: 'nxdomain', failure: null } }, null)), ['info', 'mx.no_mx']);
    assert.deepEqual(judge(mtaStsEvidence({ mxHosts: [], nullMx: true }, null)), ['info', 'mx.null_mx']);
    assert.deepEqual(judge(mtaStsEvidence({ mxLookup: { status: 'error', failure: 'servfail' } }, null)), ['error', 'mx.lookup_failed']);
    assert.deepEqual(judge(mtaStsEvidence({ record: { status: 'error', failure: 'timeout', txt: [] } }, null)), ['error', 'mta-sts.lookup_failed']);
  });
});
