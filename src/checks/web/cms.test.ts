import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMessage } from '../../i18n/index.ts';
import { homePage, unreachableHomePage } from '../../../test/leaks/evidence-builders.ts';
import type { CheckResult } from '../types.ts';
import { webCmsCheck } from './cms.ts';
import { detectCms } from './cms-detection.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (evidence: Parameters<typeof webCmsCheck.judge>[0]): CheckResult => {
  const result = webCmsCheck.judge(evidence, { now });
  assert.ok(hasMessage('nl', result.summaryKey) && hasMessage('en', result.summaryKey), result.summaryKey);
  return result;
};

describe('detectCms', () => {
  it('recognises WordPress and its version from the generator tag', () => {
    const detection = detectCms(homePage({ html: '<meta name="generator" content="WordPress 5.8"><link rel="stylesheet" href="/wp-content/themes/x/style.css?ver=1.2">' }));
    assert.equal(detection?.cms, 'wordpress');
    assert.equal(detection?.version, '5.8');
    assert.equal(detection?.versionSource, 'generator');
  });

  it('reads the WordPress core version from wp-includes assets, not from plugin assets', () => {
    const detection = detectCms(
      homePage({
        html: `<link rel="stylesheet" href="/wp-content/plugins/shop/style.css?ver=9.9.9">
          <script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
          <link rel="stylesheet" href="/wp-includes/css/dist/block-library/style.min.css?ver=6.4.2">
          <script src="/wp-includes/js/wp-emoji-release.min.js?ver=6.4.2"></script>`,
      }),
    );
    assert.equal(detection?.version, '6.4.2');
    assert.equal(detection?.versionSource, 'asset');
  });

  it('recognises Joomla, and takes its exact version from joomla.xml when fetched', () => {
    const detection = detectCms(
      homePage({
        html: '<meta name="generator" content="Joomla! - Open Source Content Management"><script src="/media/system/js/core.min.js?abc"></script>',
        versionFiles: [{ path: '/administrator/manifests/files/joomla.xml', status: 200, contentType: 'application/xml', excerpt: '<?xml version="1.0"?><extension type="file" method="upgrade"><name>files_joomla</name><version>4.2.8</version></extension>' }],
      }),
    );
    assert.equal(detection?.cms, 'joomla');
    assert.equal(detection?.version, '4.2.8');
    assert.equal(detection?.versionSource, 'version_file');
  });

  it('recognises Drupal from X-Generator and X-Drupal-Cache, with the version from core assets', () => {
    const detection = detectCms(
      homePage({
        headers: [['x-generator', 'Drupal 10 (https://www.drupal.org)'], ['x-drupal-cache', 'HIT']],
        html: '<script src="/core/misc/drupal.js?v=10.1.5"></script>',
      }),
    );
    assert.equal(detection?.cms, 'drupal');
    assert.equal(detection?.version, '10.1.5');
  });

  it('recognises Drupal 7 from its CHANGELOG.txt', () => {
    const detection = detectCms(
      homePage({
        html: '<script>jQuery.extend(Drupal.settings, {"basePath":"/"});</script><link rel="stylesheet" href="/sites/default/files/css/a.css">',
        versionFiles: [{ path: '/CHANGELOG.txt', status: 200, contentType: 'text/plain', excerpt: '\nDrupal 7.59, 2018-04-25\n-----------------------\n' }],
      }),
    );
    assert.equal(detection?.version, '7.59');
  });

  it('recognises Magento 2 from its cookies, headers and static paths; Magento 1 from skin/frontend', () => {
    const magento2 = detectCms(
      homePage({
        cookies: ['mage-cache-storage', 'form_key'],
        headers: [['x-magento-tags', 'store']],
        html: '<script type="text/x-magento-init">{}</script><link rel="stylesheet" href="/static/version1700000000/frontend/Magento/luma/nl_NL/css/styles-m.css">',
        versionFiles: [{ path: '/magento_version', status: 200, contentType: 'text/plain', excerpt: 'Magento/2.4 (Community)' }],
      }),
    );
    assert.equal(magento2?.cms, 'magento');
    assert.equal(magento2?.version, '2.4');
    const magento1 = detectCms(homePage({ html: '<link rel="stylesheet" href="/skin/frontend/default/theme/css/styles.css"><script>Mage.Cookies.path = "/";</script>' }));
    assert.equal(magento1?.version, '1');
  });

  it('finds nothing on a plain page, and does not take a 404 version file as a version', () => {
    assert.equal(detectCms(homePage({ html: '<p>Welkom bij de bakker</p>' })), undefined);
    const detection = detectCms(
      homePage({
        html: '<meta name="generator" content="Joomla! - Open Source Content Management">',
        versionFiles: [{ path: '/administrator/manifests/files/joomla.xml', status: 404, contentType: 'text/html', excerpt: '' }],
      }),
    );
    assert.equal(detection?.version, null);
  });
});

describe('web.cms', () => {
  it('fails an end-of-life WordPress with the date support ended', () => {
    const result = judge(homePage({ html: '<meta name="generator" content="WordPress 5.8">' }));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryKey, 'checks.web.cms.end_of_life');
    assert.deepEqual(result.summaryParams, { cms: 'WordPress', version: '5.8', date: '2022-01-25' });
  });

  it('warns for a supported release that is not the latest in its series', () => {
    const result = judge(homePage({ html: '<meta name="generator" content="WordPress 6.9">' }));
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryParams.latest, '6.9.1');
  });

  it('passes a current release', () => {
    const result = judge(homePage({ html: '<meta name="generator" content="WordPress 6.9.1">' }));
    assert.equal(result.status, 'pass');
  });

  it('fails Drupal 7 and Magento 1 even without an exact version', () => {
    assert.equal(judge(homePage({ html: '<meta name="Generator" content="Drupal 7 (http://drupal.org)">' })).status, 'fail');
    assert.equal(judge(homePage({ html: '<script src="/js/varien/js.js"></script>' })).status, 'fail');
  });

  it('gives information when there is no CMS, no version, or a version beyond the data', () => {
    assert.equal(judge(homePage()).summaryKey, 'checks.web.cms.none');
    assert.equal(judge(homePage({ html: '<script src="/wp-content/themes/a/app.js"></script>' })).summaryKey, 'checks.web.cms.no_version');
    const newer = judge(homePage({ html: '<meta name="generator" content="WordPress 7.1">' }));
    assert.equal(newer.status, 'info');
    assert.equal(newer.summaryKey, 'checks.web.cms.not_judged');
  });

  it('reports an error when the home page could not be fetched', () => {
    const result = judge(unreachableHomePage());
    assert.equal(result.status, 'error');
    assert.equal(result.summaryParams.reason, 'connection_refused');
  });
});
