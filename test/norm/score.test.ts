import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckStatus } from '../../src/checks/types.ts';
import { validateNorm } from '../../src/norm/load.ts';
import { scoreNorm } from '../../src/norm/score.ts';
import type { Norm } from '../../src/norm/types.ts';
import { knownChecks, normDocument } from './helpers.ts';

const norm = validateNorm(normDocument(), knownChecks).norm as Norm;
const result = (assetId: string, checkId: string, status: CheckStatus) => ({ assetId, checkId, checkVersion: 1, status });
const allGood = ['a', 'b', 'c', 'd', 'e'].flatMap((site) => [result(site, 't.cert', 'pass'), result(site, 't.headers', 'pass'), result(site, 't.mail', 'pass')]);

test('weak assets weigh: one insecure site among five is not averaged away', () => {
  assert.equal(scoreNorm(norm, allGood).score, 100);
  const oneBad = allGood.map((r) => (r.assetId === 'c' && r.checkId === 't.cert' ? { ...r, status: 'fail' as const } : r));
  const scored = scoreNorm(norm, oneBad);
  const web01 = scored.controls.find((c) => c.controlId === 'WEB-01');
  assert.equal(web01?.score, 0, 'the control is as strong as its weakest site');
  assert.deepEqual(web01?.failingAssetIds, ['c']);
  assert.equal(scored.areas.find((a) => a.areaId === 'website')?.score, 30);
  // website 30 (weight 60), mail 100 (weight 20), computers not measured: (30·60 + 100·20) / 80.
  assert.equal(scored.score, 48);
  assert.deepEqual(scored.failingMandatory, ['WEB-01']);
});

test('areas not measured are "not measured", never 0 or 100; nothing measured is no score', () => {
  const scored = scoreNorm(norm, [result('a', 't.cert', 'pass')]);
  assert.deepEqual(scored.areas.map((a) => [a.areaId, a.measured, a.score]), [
    ['website', true, 100],
    ['mail', false, null],
    ['computers', false, null],
  ]);
  assert.equal(scored.score, 100);
  const nothing = scoreNorm(norm, [result('a', 't.cert', 'error'), result('a', 'unrelated', 'fail')]);
  assert.equal(nothing.score, null);
  assert.equal(nothing.grade, null);
  assert.ok(nothing.areas.every((a) => !a.measured));
});

test('a failing mandatory control caps the grade at D, whatever the score', () => {
  const mailFails = allGood.map((r) => (r.checkId === 't.mail' && r.assetId === 'a' ? { ...r, status: 'fail' as const } : r));
  const scored = scoreNorm(norm, mailFails);
  assert.equal(scored.score, 75);
  assert.equal(scored.grade, 'D');
  const warned = allGood.map((r) => (r.checkId === 't.headers' && r.assetId === 'a' ? { ...r, status: 'warn' as const } : r));
  assert.equal(scoreNorm(norm, warned).score, 89);
  assert.equal(scoreNorm(norm, warned).grade, 'B');
});

test('accepted risks leave an advisory control out of the score, never a mandatory one', () => {
  const headersFail = allGood.map((r) => (r.checkId === 't.headers' ? { ...r, status: 'fail' as const } : r));
  assert.equal(scoreNorm(norm, headersFail).score, 78);
  const accepted = scoreNorm(norm, headersFail, new Set(['WEB-02']));
  assert.equal(accepted.score, 100);
  assert.equal(accepted.controls.find((c) => c.controlId === 'WEB-02')?.accepted, true);
  const certFails = allGood.map((r) => (r.checkId === 't.cert' ? { ...r, status: 'fail' as const } : r));
  const notAcceptable = scoreNorm(norm, certFails, new Set(['WEB-01']));
  assert.equal(notAcceptable.controls.find((c) => c.controlId === 'WEB-01')?.accepted, false);
  assert.deepEqual(notAcceptable.failingMandatory, ['WEB-01']);
});

test('a share threshold passes at 90% of devices and the score is their average; the result is order independent', () => {
  const devicesNorm = structuredClone(norm);
  const dev = devicesNorm.controls.find((c) => c.id === 'DEV-01')!;
  dev.checks = ['t.devices'];
  const devices = (failing: number) => Array.from({ length: 10 }, (_, i) => result(`pc-${i}`, 't.devices', i < failing ? 'fail' : 'pass'));
  assert.equal(scoreNorm(devicesNorm, devices(1)).controls.find((c) => c.controlId === 'DEV-01')?.passing, true);
  const two = scoreNorm(devicesNorm, devices(2)).controls.find((c) => c.controlId === 'DEV-01');
  assert.equal(two?.passing, false);
  assert.equal(two?.score, 80);
  const shuffled = [...allGood].reverse();
  assert.deepEqual(scoreNorm(norm, shuffled), scoreNorm(norm, allGood));
});
