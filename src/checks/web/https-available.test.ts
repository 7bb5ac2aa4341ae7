import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chain, exchange, untrustedTls, webEvidence } from '../../../test/web/evidence-builder.ts';
import { webHttpsAvailableCheck } from './https-available.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const judge = (evidence: ReturnType<typeof webEvidence>) => webHttpsAvailableCheck.judge(evidence, { now });

describe('web.https.available', () => {
  it('passes when https://host/ answers, whatever the status or certificate', () => {
    const result = judge(webEvidence());
    assert.equal(result.checkId, 'web.https.available');
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.web.https.available.pass');
    assert.deepEqual(result.summaryParams, { host: 'bakkerij.nl', status: 200 });
    assert.equal(result.details.certificateVerified, true);
    const untrusted = judge(webEvidence({ https: chain('https://bakkerij.nl/', [exchange('https://bakkerij.nl/', 503, {}, { tls: untrustedTls })]) }));
    assert.equal(untrusted.status, 'pass');
    assert.equal(untrusted.details.certificateVerified, false);
  });

  it('fails when only plain HTTP answers', () => {
    const result = judge(
      webEvidence({
        http: chain('http://bakkerij.nl/', [exchange('http://bakkerij.nl/', 200)]),
        https: chain('https://bakkerij.nl/', [], 'connection_refused'),
      }),
    );
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.web.https.available.fail');
    assert.equal(result.summaryParams.reason, 'connection_refused');
  });

  it('fails for a TLS handshake that breaks down or a silent port', () => {
    for (const error of ['tls_failed', 'timeout'] as const) {
      const result = judge(webEvidence({ http: chain('http://bakkerij.nl/', [exchange('http://bakkerij.nl/', 200)]), https: chain('https://bakkerij.nl/', [], error) }));
      assert.equal(result.status, 'fail', error);
    }
  });

  it('says there is no website when neither port answers', () => {
    const result = judge(webEvidence({ http: chain('http://bakkerij.nl/', [], 'connection_refused'), https: chain('https://bakkerij.nl/', [], 'connection_refused') }));
    assert.equal(result.status, 'info');
    assert.equal(result.summaryKey, 'checks.web.https.available.no_website');
  });

  it('reports DNS and policy problems as not measured', () => {
    for (const error of ['no_address', 'dns_timeout', 'target_refused'] as const) {
      const result = judge(webEvidence({ http: chain('http://bakkerij.nl/', [], error), https: chain('https://bakkerij.nl/', [], error) }));
      assert.equal(result.status, 'error', error);
      assert.equal(result.summaryKey, `checks.web.reason.${error}`);
    }
  });
});
