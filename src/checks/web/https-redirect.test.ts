import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chain, exchange, redirect, webEvidence } from '../../../test/web/evidence-builder.ts';
import { webHttpsRedirectCheck } from './https-redirect.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const host = 'bakkerij.nl';
const judgeHttp = (...hops: Parameters<typeof chain>[1]) => webHttpsRedirectCheck.judge(webEvidence({ http: chain(`http://${host}/`, hops) }), { now });

describe('web.https.redirect', () => {
  it('passes a first redirect to HTTPS on the same host, even when it moves on to www afterwards', () => {
    const result = judgeHttp(redirect('http://bakkerij.nl/', 'https://bakkerij.nl/'), redirect('https://bakkerij.nl/', 'https://www.bakkerij.nl/'), exchange('https://www.bakkerij.nl/', 200));
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.web.https.redirect.pass');
    assert.equal(result.summaryParams.target, 'https://bakkerij.nl/');
    const relative = judgeHttp(exchange('http://bakkerij.nl/', 308, { location: 'https://bakkerij.nl:443/start' }), exchange('https://bakkerij.nl/start', 200));
    assert.equal(relative.status, 'pass');
  });

  it('fails a site served over plain HTTP', () => {
    const result = judgeHttp(exchange('http://bakkerij.nl/', 200));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.web.https.redirect.missing');
    assert.equal(result.summaryParams.status, 200);
    assert.equal(judgeHttp(exchange('http://bakkerij.nl/', 302)).status, 'fail', 'a redirect without Location is no redirect');
  });

  it('warns when the first hop goes to another host', () => {
    const result = judgeHttp(redirect('http://bakkerij.nl/', 'https://www.bakkerij.nl/'), exchange('https://www.bakkerij.nl/', 200));
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryKey, 'checks.web.https.redirect.other_host');
  });

  it('warns when the first hop stays on plain HTTP but HTTPS follows', () => {
    const result = judgeHttp(redirect('http://bakkerij.nl/', '/welkom'), redirect('http://bakkerij.nl/welkom', 'https://bakkerij.nl/welkom'), exchange('https://bakkerij.nl/welkom', 200));
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryKey, 'checks.web.https.redirect.http_first');
    assert.equal(result.summaryParams.target, 'http://bakkerij.nl/welkom');
  });

  it('fails redirects that never reach HTTPS', () => {
    const result = judgeHttp(redirect('http://bakkerij.nl/', 'http://www.bakkerij.nl/'), exchange('http://www.bakkerij.nl/', 200));
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.web.https.redirect.not_to_https');
  });

  it('passes when nothing answers plain HTTP, and reports DNS trouble as not measured', () => {
    const closed = webHttpsRedirectCheck.judge(webEvidence({ http: chain(`http://${host}/`, [], 'connection_refused') }), { now });
    assert.equal(closed.status, 'pass');
    assert.equal(closed.summaryKey, 'checks.web.https.redirect.no_http');
    const dns = webHttpsRedirectCheck.judge(webEvidence({ http: chain(`http://${host}/`, [], 'dns_timeout') }), { now });
    assert.equal(dns.status, 'error');
    assert.equal(dns.summaryKey, 'checks.web.reason.dns_timeout');
  });
});
