import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMessage } from '../../i18n/index.ts';
import { homePage, unreachableHomePage } from '../../../test/leaks/evidence-builders.ts';
import type { CheckResult } from '../types.ts';
import { webBannersCheck } from './banners.ts';
import { parseBanners } from './banners-parse.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (headers: Array<[string, string]>): CheckResult => {
  const result = webBannersCheck.judge(homePage({ headers }), { now });
  assert.ok(hasMessage('nl', result.summaryKey) && hasMessage('en', result.summaryKey), result.summaryKey);
  return result;
};

describe('parseBanners', () => {
  it('reads product/version tokens, distribution comments and the ASP.NET headers', () => {
    const report = parseBanners([
      ['server', 'Apache/2.4.29 (Ubuntu) OpenSSL/1.1.1 PHP/7.2.24'],
      ['x-powered-by', 'PHP/7.2.24-0ubuntu0.18.04.17'],
      ['x-aspnet-version', '4.0.30319'],
      ['x-generator', 'Drupal 10 (https://www.drupal.org)'],
      ['content-type', 'text/html'],
    ]);
    assert.equal(report.distribution, 'Ubuntu');
    assert.deepEqual(
      report.banners.map((banner) => [banner.header, banner.product, banner.version, banner.lifecycle]),
      [
        ['server', 'Apache', '2.4.29', 'apache-http-server'],
        ['server', 'OpenSSL', '1.1.1', null],
        ['server', 'PHP', '7.2.24', 'php'],
        ['x-powered-by', 'PHP', '7.2.24-0ubuntu0.18.04.17', 'php'],
        ['x-aspnet-version', 'ASP.NET', '4.0.30319', null],
        ['x-generator', 'Drupal', '10', null],
      ],
    );
  });

  it('names products without a version as such', () => {
    const report = parseBanners([['server', 'nginx'], ['x-powered-by', 'ASP.NET']]);
    assert.deepEqual(report.banners.map((banner) => [banner.product, banner.version]), [['nginx', null], ['ASP.NET', null]]);
  });
});

describe('web.banners', () => {
  it('fails when a disclosed version is past its end of life (PHP 7.2)', () => {
    const result = judge([['server', 'Apache/2.4.29 (Ubuntu)'], ['x-powered-by', 'PHP/7.2.24']]);
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryParams.product, 'PHP');
    assert.equal(result.summaryParams.date, '2020-11-30');
    assert.equal(result.summaryParams.banners, 'Apache/2.4.29, PHP/7.2.24');
  });

  it('fails an IIS whose Windows Server is out of support', () => {
    const result = judge([['server', 'Microsoft-IIS/8.5']]);
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryParams.date, '2023-10-10');
  });

  it('warns for an outdated upstream build, but not for a distribution package (backports)', () => {
    const upstream = judge([['server', 'nginx/1.28.0']]);
    assert.equal(upstream.status, 'warn');
    assert.equal(upstream.summaryParams.latest, '1.28.2');
    assert.equal(judge([['server', 'nginx/1.28.0 (Ubuntu)']]).status, 'notice');
  });

  it('gives a notice for a current version that is still disclosed', () => {
    const result = judge([['server', 'nginx/1.28.2'], ['x-aspnet-version', '4.0.30319']]);
    assert.equal(result.status, 'notice');
    assert.equal(result.summaryParams.banners, 'nginx/1.28.2, ASP.NET/4.0.30319');
  });

  it('passes when headers name the software at most, without versions', () => {
    const result = judge([['server', 'nginx']]);
    assert.equal(result.status, 'pass');
    assert.deepEqual((result.details.banners as Array<{ product: string }>).map((banner) => banner.product), ['nginx']);
  });

  it('reports an error when the home page could not be fetched', () => {
    assert.equal(webBannersCheck.judge(unreachableHomePage(), { now }).status, 'error');
  });
});
