import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractPageFacts, maxResources } from './page-facts.ts';

describe('extractPageFacts', () => {
  it('collects generator tags and every sub-resource, resolved against the page', () => {
    const facts = extractPageFacts(
      `<!DOCTYPE html><html><head>
        <META NAME="Generator" CONTENT="WordPress 5.8">
        <link rel="stylesheet" href="/wp-includes/css/dist/block-library/style.min.css?ver=5.8">
        <link rel="canonical" href="http://shop.example.nl/">
        <script src="//cdn.example.com/app.js"></script>
      </head><body>
        <img src="img/logo.png" srcset="http://img.example.nl/a.png 1x, /b.png 2x">
        <form action="http://shop.example.nl/login"></form>
        <a href="http://elsewhere.example/">not a resource</a>
      </body></html>`,
      'https://shop.example.nl/index.html',
    );
    assert.deepEqual(facts.metaGenerators, ['WordPress 5.8']);
    const urls = facts.resources.map((resource) => `${resource.tag}.${resource.attribute} ${resource.url}`);
    assert.deepEqual(urls, [
      'link.href https://shop.example.nl/wp-includes/css/dist/block-library/style.min.css?ver=5.8',
      'link.href http://shop.example.nl/',
      'script.src https://cdn.example.com/app.js',
      'img.src https://shop.example.nl/img/logo.png',
      'img.srcset http://img.example.nl/a.png',
      'img.srcset https://shop.example.nl/b.png',
      'form.action http://shop.example.nl/login',
    ]);
    assert.equal(facts.resources[0]?.rel, 'stylesheet');
  });

  it('resolves against <base href> and finds CMS fingerprints in the markup', () => {
    const facts = extractPageFacts(
      `<html><head><base href="http://static.example.nl/site/">
        <script type="application/json" data-drupal-selector="drupal-settings-json">{}</script>
        <script type="text/x-magento-init">{}</script>
        <script class="joomla-script-options new" type="application/json">{}</script>
        <script>window._wpemojiSettings = {}; jQuery.extend(Drupal.settings, {});</script>
        <link rel="https://api.w.org/" href="/wp-json/">
      </head><body><div data-mage-init='{}'></div><img src="a.png"></body></html>`,
      'https://example.nl/',
    );
    assert.equal(facts.resources.find((resource) => resource.tag === 'img')?.url, 'http://static.example.nl/site/a.png');
    assert.deepEqual(facts.markers, [
      'wordpress-api-link',
      'wordpress-emoji-settings',
      'joomla-script-options',
      'drupal-settings-json',
      'drupal-settings-js',
      'drupal-data-attribute',
      'magento-init',
      'magento-data-mage-init',
    ]);
  });

  it('caps the references it keeps and says so', () => {
    const html = '<img src="/i.png">'.repeat(maxResources + 10);
    const facts = extractPageFacts(html, 'https://example.nl/');
    assert.equal(facts.resources.length, maxResources);
    assert.equal(facts.resourcesTruncated, true);
  });

  it('survives broken markup', () => {
    const facts = extractPageFacts('<html><scr<ipt src="x"><img src=<<<>>', 'https://example.nl/');
    assert.ok(Array.isArray(facts.resources));
  });
});
