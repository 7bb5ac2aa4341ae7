import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chain, exchange, redirect, untrustedTls, webEvidence } from '../../../test/web/evidence-builder.ts';
import { parseHsts, webHstsCheck } from './hsts.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const judge = (header?: string | string[], extra: Parameters<typeof exchange>[3] = {}) =>
  webHstsCheck.judge(
    webEvidence({ https: chain('https://bakkerij.nl/', [exchange('https://bakkerij.nl/', 200, header === undefined ? {} : { 'strict-transport-security': header }, extra)]) }),
    { now },
  );

describe('parseHsts', () => {
  it('reads max-age, includeSubDomains and preload in any case and order, quoted or not', () => {
    assert.deepEqual(parseHsts('max-age=31536000; includeSubDomains; preload'), { valid: true, maxAge: 31536000, includeSubDomains: true, preload: true });
    assert.deepEqual(parseHsts(' PRELOAD ;Max-Age="600"; unknown=1;'), { valid: true, maxAge: 600, includeSubDomains: false, preload: true });
  });
  it('refuses what RFC 6797 refuses', () => {
    assert.deepEqual(parseHsts('includeSubDomains'), { valid: false, problem: 'no_max_age' });
    assert.deepEqual(parseHsts('max-age=abc'), { valid: false, problem: 'bad_max_age' });
    assert.deepEqual(parseHsts('max-age=-5'), { valid: false, problem: 'bad_max_age' });
    assert.deepEqual(parseHsts('max-age=1; max-age=2'), { valid: false, problem: 'repeated_directive' });
    assert.deepEqual(parseHsts('max-age=1, max-age=2'), { valid: false, problem: 'syntax' });
  });
});

describe('web.hsts', () => {
  it('passes a year or more with includeSubDomains, and says when it is preload-ready', () => {
    const plain = judge('max-age=31536000; includeSubDomains');
    assert.equal(plain.status, 'pass');
    assert.equal(plain.summaryKey, 'checks.web.hsts.pass');
    assert.deepEqual(plain.summaryParams, { host: 'bakkerij.nl', days: 365 });
    assert.equal(plain.details.preloadReady, false);
    const preload = judge('max-age=63072000; includeSubDomains; preload');
    assert.equal(preload.summaryKey, 'checks.web.hsts.pass_preload');
    assert.equal(preload.details.preloadReady, true);
    const noSubdomains = judge('max-age=31536000');
    assert.equal(noSubdomains.status, 'pass');
    assert.equal(noSubdomains.summaryKey, 'checks.web.hsts.pass_without_subdomains');
    assert.equal(noSubdomains.details.includeSubDomains, false);
  });

  it('warns below one year and fails max-age=0', () => {
    const short = judge('max-age=15768000; includeSubDomains');
    assert.equal(short.status, 'warn');
    assert.equal(short.summaryKey, 'checks.web.hsts.too_short');
    assert.equal(short.summaryParams.days, 182);
    assert.equal(judge('max-age=31535999').status, 'warn');
    assert.equal(judge('max-age=0').summaryKey, 'checks.web.hsts.disabled');
  });

  it('fails a missing or unusable header', () => {
    assert.equal(judge().summaryKey, 'checks.web.hsts.missing');
    assert.equal(judge().status, 'fail');
    const invalid = judge('max-age=soon');
    assert.equal(invalid.summaryKey, 'checks.web.hsts.invalid');
    assert.equal(invalid.details.problem, 'bad_max_age');
  });

  it('judges the first of repeated headers, as browsers do', () => {
    assert.equal(judge(['max-age=31536000; includeSubDomains', 'max-age=0']).status, 'pass');
  });

  it('fails HSTS behind a certificate browsers do not trust', () => {
    const result = judge('max-age=31536000; includeSubDomains', { tls: untrustedTls });
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.web.hsts.untrusted');
  });

  it('judges https://host/ itself, not where it redirects to', () => {
    const evidence = webEvidence({
      https: chain('https://bakkerij.nl/', [redirect('https://bakkerij.nl/', 'https://www.bakkerij.nl/'), exchange('https://www.bakkerij.nl/', 200, { 'strict-transport-security': 'max-age=31536000' })]),
    });
    const result = webHstsCheck.judge(evidence, { now });
    assert.equal(result.summaryKey, 'checks.web.hsts.missing');
    assert.equal(result.details.finalHeader, 'max-age=31536000');
  });

  it('cannot be measured without HTTPS', () => {
    const result = webHstsCheck.judge(webEvidence({ https: chain('https://bakkerij.nl/', [], 'connection_refused') }), { now });
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.web.hsts.no_https');
  });
});
