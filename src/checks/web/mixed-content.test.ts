import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMessage } from '../../i18n/index.ts';
import { homePage, unreachableHomePage } from '../../../test/leaks/evidence-builders.ts';
import type { CheckResult } from '../types.ts';
import { webMixedContentCheck } from './mixed-content.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (html: string | null, url = 'https://shop.example.nl/'): CheckResult => {
  const result = webMixedContentCheck.judge(homePage({ html, url }), { now });
  assert.ok(hasMessage('nl', result.summaryKey) && hasMessage('en', result.summaryKey), result.summaryKey);
  return result;
};

describe('web.mixed-content', () => {
  it('fails active mixed content: scripts, style sheets, frames', () => {
    const result = judge('<script src="http://cdn.example.nl/app.js"></script><link rel="stylesheet" href="http://cdn.example.nl/s.css"><iframe src="http://video.example.nl/"></iframe><img src="http://img.example.nl/a.png">');
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'medium');
    assert.equal(result.summaryParams.count, 3);
    assert.equal(result.summaryParams.example, 'http://cdn.example.nl/app.js');
    assert.deepEqual(result.details.counts, { active: 3, passive: 1, form: 0 });
  });

  it('fails harder for a form that posts over plain HTTP', () => {
    const result = judge('<form action="http://shop.example.nl/login" method="post"></form>');
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.web.mixed-content.form');
  });

  it('warns for passive mixed content only', () => {
    const result = judge('<img src="http://img.example.nl/a.png"><video poster="http://img.example.nl/p.jpg"></video><link rel="icon" href="http://shop.example.nl/favicon.ico">');
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryParams.count, 3);
  });

  it('passes https, protocol-relative and relative resources, and ignores links that load nothing', () => {
    const result = judge('<script src="//cdn.example.nl/a.js"></script><img src="/a.png"><link rel="canonical" href="http://shop.example.nl/"><a href="http://example.org/">x</a><link rel="stylesheet" href="https://cdn.example.nl/s.css">');
    assert.equal(result.status, 'pass');
  });

  it('does not apply to a page served over HTTP, nor to a non-HTML answer', () => {
    assert.equal(judge('<script src="http://cdn.example.nl/app.js"></script>', 'http://shop.example.nl/').summaryKey, 'checks.web.mixed-content.not_https');
    assert.equal(judge(null).summaryKey, 'checks.web.mixed-content.not_html');
  });

  it('reports an error when the home page could not be fetched', () => {
    assert.equal(webMixedContentCheck.judge(unreachableHomePage(), { now }).status, 'error');
  });
});
