// The information-leakage checks end to end: real DNS, real HTTPS servers on 127.0.4.x, the
// real gatherers through the shared HTTP client, the registry's judgement.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../src/checks/types.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import type { DomainScan } from '../../src/scan/types.ts';
import { type LeakSiteName, type LeakSites, startLeakSites } from '../fixtures/leak-sites.ts';

describe('information leakage against fixture sites', () => {
  let leaks: LeakSites;
  before(async () => {
    leaks = await startLeakSites();
  });
  after(() => leaks.close());

  const scan = (name: LeakSiteName, activeProbes: boolean): Promise<DomainScan> =>
    scanDomain(leaks.sites[name].domain, {
      resolver: leaks.resolver,
      allowPrivate: true,
      extraCa: [leaks.caPem],
      timeoutMs: 2000,
      activeProbes,
      only: ['web.leaks'],
    });
  const result = (domainScan: DomainScan, checkId: string): CheckResult => {
    const found = domainScan.results.find((candidate) => candidate.checkId === checkId);
    assert.ok(found, `${checkId} in ${domainScan.results.map((candidate) => candidate.checkId).join(', ')}`);
    return found;
  };

  it('flags the outdated WordPress: PHP 7.2 banner, WordPress 5.8, no security.txt', async () => {
    const outcome = await scan('wordpressOld', false);
    const banners = result(outcome, 'web.banners');
    assert.equal(banners.status, 'fail');
    assert.equal(banners.summaryParams.product, 'PHP');
    assert.equal(banners.summaryParams.banners, 'Apache/2.4.29, PHP/7.2.24');
    const cms = result(outcome, 'web.cms');
    assert.equal(cms.status, 'fail');
    assert.deepEqual(cms.summaryParams, { cms: 'WordPress', version: '5.8', date: '2022-01-25' });
    assert.equal(result(outcome, 'web.security-txt').summaryKey, 'checks.web.security-txt.missing');
    assert.equal(result(outcome, 'web.mixed-content').status, 'pass');
    assert.ok(outcome.evidence.every((item) => item.kind !== 'web.leaks.sensitive-files'), 'no active gatherer ran');
  });

  it('passes the current WordPress with a valid security.txt', async () => {
    const outcome = await scan('wordpressCurrent', false);
    assert.equal(result(outcome, 'web.banners').status, 'pass');
    assert.equal(result(outcome, 'web.cms').status, 'pass');
    assert.equal(result(outcome, 'web.security-txt').status, 'pass');
    assert.equal(result(outcome, 'web.mixed-content').status, 'pass');
  });

  it('reads Joomla\'s exact version from joomla.xml only when active probes are allowed', async () => {
    const passive = await scan('joomla', false);
    assert.equal(result(passive, 'web.cms').summaryKey, 'checks.web.cms.no_version');
    assert.ok(!leaks.sites.joomla.requests.some((path) => path.includes('joomla.xml')));
    const active = await scan('joomla', true);
    const cms = result(active, 'web.cms');
    assert.equal(cms.status, 'fail');
    assert.equal(cms.summaryParams.version, '4.2.8');
    assert.equal(cms.details.versionSource, 'version_file');
  });

  it('fails Drupal 7 from its X-Generator header, and names 7.59 from CHANGELOG.txt when probing', async () => {
    const passive = result(await scan('drupal', false), 'web.cms');
    assert.equal(passive.status, 'fail');
    assert.equal(passive.summaryParams.version, '7');
    const active = result(await scan('drupal', true), 'web.cms');
    assert.equal(active.summaryParams.version, '7.59');
  });

  it('recognises Magento by its cookies, headers and paths', async () => {
    const cms = result(await scan('magento', true), 'web.cms');
    assert.equal(cms.details.cms, 'magento');
    assert.equal(cms.summaryParams.version, '2.4');
    assert.equal(cms.status, 'info');
  });

  it('finds .git and .env on the leaky site by content, without storing a secret', async () => {
    const outcome = await scan('leaky', true);
    const sensitive = result(outcome, 'web.sensitive-files');
    assert.equal(sensitive.status, 'fail');
    assert.equal(sensitive.severity, 'critical');
    const exposed = sensitive.details.exposed as Array<{ path: string; excerpt: string }>;
    assert.deepEqual(exposed.map((item) => item.path), ['/.git/HEAD', '/.git/config', '/.env']);
    assert.equal(exposed[2]?.excerpt, 'APP_ENV=****\nDB_HOST=****\nDB_PASSWORD=****\nMAIL_PASSWORD=****');
    const stored = JSON.stringify(outcome);
    for (const secret of ['FixtureSecret123', 'alsoSecret', 'ghp_FIXTURESECRET']) assert.ok(!stored.includes(secret), secret);
  });

  it('sends no active probe at all when active probes are off', async () => {
    const site = leaks.sites.leaky;
    site.requests.length = 0;
    const outcome = await scan('leaky', false);
    assert.ok(outcome.results.every((item) => item.checkId !== 'web.sensitive-files'));
    // The home page once (shared by the leak gatherers of the scan), security.txt at both places.
    assert.deepEqual([...site.requests].sort(), ['/', '/.well-known/security.txt', '/security.txt']);
  });

  it('finds nothing on a site that answers 200 with its home page for every path', async () => {
    const outcome = await scan('softNotFound', true);
    const sensitive = result(outcome, 'web.sensitive-files');
    assert.equal(sensitive.status, 'pass');
    assert.equal(sensitive.details.softNotFound, true);
    const probes = outcome.evidence.find((item) => item.kind === 'web.leaks.sensitive-files')?.data as { probes: Array<{ path: string; confirmed: boolean; soft404: boolean }> };
    assert.deepEqual(probes.probes.filter((probe) => probe.confirmed).map((probe) => [probe.path, probe.soft404]), [
      ['/wp-content/uploads/', true],
      ['/images/', true],
      ['/backup/', true],
    ]);
    assert.equal(result(outcome, 'web.security-txt').summaryKey, 'checks.web.security-txt.missing');
  });

  it('fails a directory listing of /backup/', async () => {
    const sensitive = result(await scan('listing', true), 'web.sensitive-files');
    assert.equal(sensitive.status, 'fail');
    assert.equal(sensitive.severity, 'high');
    assert.deepEqual((sensitive.details.exposed as Array<{ path: string; excerpt: string }>).map((item) => [item.path, item.excerpt]), [['/backup/', 'Index of /backup (2 entries)']]);
  });

  it('fails the HTTPS page that loads a script over HTTP', async () => {
    const mixed = result(await scan('mixed', false), 'web.mixed-content');
    assert.equal(mixed.status, 'fail');
    assert.equal(mixed.summaryParams.example, `http://${leaks.sites.mixed.domain}/js/app.js`);
    assert.deepEqual(mixed.details.counts, { active: 1, passive: 1, form: 0 });
  });

  it('warns for an expired security.txt and describes a signed one', async () => {
    const expired = result(await scan('securityTxtExpired', false), 'web.security-txt');
    assert.equal(expired.status, 'warn');
    assert.equal(expired.summaryKey, 'checks.web.security-txt.expired');
    const signed = result(await scan('securityTxtSigned', false), 'web.security-txt');
    assert.equal(signed.summaryKey, 'checks.web.security-txt.pass_signed');
    assert.equal((signed.details.signature as { issuerFingerprint: string }).issuerFingerprint, '0123456789ABCDEF0123456789ABCDEF01234567');
  });

  it('falls back to plain HTTP and judges an end-of-life IIS there', async () => {
    const outcome = await scan('plainHttp', false);
    const banners = result(outcome, 'web.banners');
    assert.equal(banners.status, 'fail');
    assert.equal(banners.summaryParams.product, 'IIS');
    assert.equal(result(outcome, 'web.mixed-content').summaryKey, 'checks.web.mixed-content.not_https');
  });
});
