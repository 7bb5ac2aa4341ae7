import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chain, htmlPage, webEvidence } from '../../../test/web/evidence-builder.ts';
import { webFetchFailures } from '../../evidence/http/web-http-evidence.ts';
import { hasMessage, languages, t } from '../../i18n/index.ts';
import { webHeadersGradeCheck } from './headers-grade.ts';
import { outcomes } from './observatory/expectations.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const judge = (shape: Parameters<typeof webEvidence>[0]) => webHeadersGradeCheck.judge(webEvidence(shape), { now });

const best = {
  'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'set-cookie': '__Host-session=1; Secure; HttpOnly; SameSite=Strict; Path=/',
};

describe('web.headers.grade', () => {
  it('grades best practice A+ with every bonus, and puts score and grade in the details', () => {
    const result = judge({
      headers: best,
      html: htmlPage({ scripts: [{ src: 'https://cdn.example.com/a.js', resolvedSrc: 'https://cdn.example.com/a.js', integrity: 'sha384-x', crossorigin: 'anonymous' }], scriptCount: 1 }),
    });
    assert.equal(result.checkId, 'web.headers.grade');
    assert.equal(result.status, 'pass');
    assert.equal(result.details.score, 140);
    assert.equal(result.details.grade, 'A+');
    assert.deepEqual(result.summaryParams, { host: 'bakkerij.nl', score: 140, grade: 'A+' });
    assert.equal(result.details.testsPassed, 10);
    const tests = result.details.tests as Array<{ test: string; result: string; scoreModifier: number }>;
    assert.equal(tests.length, 10);
    assert.deepEqual(
      tests.filter((test) => test.scoreModifier > 0).map((test) => [test.test, test.scoreModifier]),
      [
        ['content-security-policy', 10],
        ['cookies', 5],
        ['referrer-policy', 5],
        ['subresource-integrity', 5],
        ['x-frame-options', 5],
        ['cross-origin-resource-policy', 10],
      ],
    );
  });

  it('grades a site without any security header F (10: CSP -25, HSTS -20, XCTO -5, XFO -20, redirect -20)', () => {
    const result = judge({
      http: chain('http://bakkerij.nl/', [{ ...webEvidence().https.hops[0]!, url: 'http://bakkerij.nl/', tls: null }]),
      https: chain('https://bakkerij.nl/', [], 'connection_refused'),
    });
    assert.equal(result.details.score, 10);
    assert.equal(result.details.grade, 'F');
    assert.equal(result.status, 'fail');
  });

  it('gives no bonus points below 90', () => {
    // CSP -25 and XFO -20 make 55; the referrer bonus (+5) and CORP (+10) do not count.
    const result = judge({ headers: { 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cross-origin-resource-policy': 'same-site' } });
    assert.equal(result.details.score, 55);
    assert.equal(result.details.grade, 'C');
    assert.equal(result.status, 'warn');
  });

  it('maps grade letters to verdicts', () => {
    // Missing CSP only: 75 → B.
    const b = judge({ headers: { 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' } });
    assert.equal(b.details.grade, 'B');
    assert.equal(b.status, 'notice');
    assert.equal(b.severity, 'low');
  });

  it('does not grade a home page that answers with an error, except 401 and 403', () => {
    const error = judge({ status: 500 });
    assert.equal(error.status, 'error');
    assert.equal(error.summaryKey, 'checks.web.headers.grade.unexpected_status');
    assert.equal(error.summaryParams.status, 500);
    assert.equal(judge({ status: 403 }).status !== 'error', true);
    assert.equal(judge({ status: 401 }).status !== 'error', true);
  });

  it('does not grade a site that answers neither http nor https', () => {
    const result = judge({ http: chain('http://bakkerij.nl/', [], 'timeout'), https: chain('https://bakkerij.nl/', [], 'timeout') });
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.web.headers.grade.site_down');
  });
});

describe('web messages', () => {
  it('explain every Observatory outcome and every fetch failure in Dutch and English', () => {
    for (const language of languages) {
      for (const outcome of Object.values(outcomes)) assert.ok(hasMessage(language, `checks.web.headers.grade.outcome.${outcome}`), `${language}: ${outcome}`);
      for (const reason of [...webFetchFailures, 'no_response']) {
        const text = t(language, `checks.web.reason.${reason}`, { host: '<host>', url: '<url>' });
        assert.ok(hasMessage(language, `checks.web.reason.${reason}`), `${language}: ${reason}`);
        assert.doesNotMatch(text, /\{\w+\}/, `${language}: ${reason}`);
      }
    }
  });
});
