import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, judgeIisVersion, judgeVersion, lifecycleProducts, productLifecycle, versionParts } from './lifecycle.ts';

const now = new Date('2026-12-04T12:00:00Z');

describe('endoflife data', () => {
  it('loads and validates every product file', () => {
    for (const product of lifecycleProducts) {
      const lifecycle = productLifecycle(product);
      assert.equal(lifecycle.product, product);
      assert.ok(lifecycle.releases.length > 0);
      assert.match(lifecycle.source.commit, /^[0-9a-f]{40}$/);
    }
  });
});

describe('versionParts and compareVersions', () => {
  it('reads announced versions and ignores distribution suffixes', () => {
    assert.deepEqual(versionParts('2.4.29'), [2, 4, 29]);
    assert.deepEqual(versionParts('7.2.24-0ubuntu0.18.04.17'), [7, 2, 24]);
    assert.deepEqual(versionParts('2.4.5-p1'), [2, 4, 5, 1]);
    assert.deepEqual(versionParts('2.4-p3'), [2, 4, 0, 3]);
    assert.equal(versionParts('Ubuntu'), undefined);
  });

  it('orders versions numerically, missing parts as zero', () => {
    assert.ok(compareVersions([5, 10], [5, 9]) > 0);
    assert.equal(compareVersions([6, 9], [6, 9, 0]), 0);
    assert.ok(compareVersions([2, 4, 5], [2, 4, 5, 1]) < 0);
  });
});

describe('judgeVersion', () => {
  it('flags a WordPress cycle past its end of life, naming the cycle and date', () => {
    const verdict = judgeVersion('wordpress', '5.8', now);
    assert.equal(verdict.state, 'eol');
    assert.equal(verdict.cycle, '5.8');
    assert.equal(verdict.eolFrom, '2022-01-25');
    assert.equal(verdict.latest, '5.8.12');
  });

  it('knows the latest WordPress release is supported, and a missing zero patch means x.y.0', () => {
    assert.equal(judgeVersion('wordpress', '6.9.1', now).state, 'supported');
    assert.equal(judgeVersion('wordpress', '6.9', now).state, 'outdated');
  });

  it('calls a version newer than every known cycle not judged, never end of life', () => {
    assert.equal(judgeVersion('wordpress', '7.0', now).state, 'newer_than_data');
    assert.equal(judgeVersion('php', '9.0.1', now).state, 'newer_than_data');
  });

  it('judges PHP by cycle end dates relative to now', () => {
    assert.equal(judgeVersion('php', '7.2.24-0ubuntu0.18.04.17', now).state, 'eol');
    assert.equal(judgeVersion('php', '8.2.30', now).state, 'supported');
    assert.equal(judgeVersion('php', '8.2.30', new Date('2027-01-01T00:00:00Z')).state, 'eol');
    assert.equal(judgeVersion('php', '8.3.1', now).state, 'outdated');
  });

  it('does not call a version outdated when it is less precise than the latest release', () => {
    assert.equal(judgeVersion('apache-http-server', '2.4', now).state, 'supported');
    assert.equal(judgeVersion('apache-http-server', '2.4.29', now).state, 'outdated');
    assert.equal(judgeVersion('apache-http-server', '2.2.15', now).state, 'eol');
  });

  it('matches the longest cycle: Drupal 7 by major, Magento 2.4.x by patch cycle', () => {
    const drupal = judgeVersion('drupal', '7.59', now);
    assert.equal(drupal.cycle, '7');
    assert.equal(drupal.state, 'eol');
    const magento = judgeVersion('magento', '2.4.5-p1', now);
    assert.equal(magento.cycle, '2.4.5');
    assert.equal(magento.state, 'eol');
    assert.equal(judgeVersion('magento', '2.4', now).state, 'unknown_cycle');
  });

  it('judges a bare major only when every cycle of it had ended by the data date', () => {
    const drupal9 = judgeVersion('drupal', '9', now);
    assert.equal(drupal9.state, 'eol');
    assert.equal(drupal9.cycle, '9.x');
    assert.equal(drupal9.eolFrom, '2023-11-01');
    assert.equal(judgeVersion('magento', '1', now).state, 'eol');
    // Drupal 10.3 was still supported when the data was taken: later 10.x cycles may exist.
    assert.equal(judgeVersion('drupal', '10', now).state, 'unknown_cycle');
  });

  it('answers unparsable for text that is not a version', () => {
    assert.equal(judgeVersion('nginx', 'stable', now).state, 'unparsable');
  });
});

describe('judgeIisVersion', () => {
  it('judges IIS by the Windows Server releases that ship it', () => {
    const old = judgeIisVersion('8.5', now);
    assert.equal(old.state, 'eol');
    assert.equal(old.cycle, '2012-r2');
    assert.equal(old.eolFrom, '2023-10-10');
    const current = judgeIisVersion('10.0', now);
    assert.equal(current.state, 'supported');
    assert.equal(current.eolFrom, '2034-10-10');
    assert.equal(judgeIisVersion('9.1', now).state, 'unknown_cycle');
  });
});
