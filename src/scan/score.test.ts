import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from '../checks/types.ts';
import { scoreResults } from './score.ts';

const result = (status: CheckResult['status'], severity: CheckResult['severity']): CheckResult => ({
  checkId: `x.${status}.${severity}`,
  checkVersion: 1,
  status,
  severity,
  summaryKey: 'k',
  summaryParams: {},
  details: {},
});

test('all passing is 100 and A; nothing measurable has no score', () => {
  assert.deepEqual(scoreResults([result('pass', 'info'), result('pass', 'high')]), { score: 100, grade: 'A', measured: 2 });
  assert.deepEqual(scoreResults([result('error', 'info')]), { score: null, grade: null, measured: 0 });
});

test('penalties follow severity and outcome', () => {
  assert.equal(scoreResults([result('fail', 'high')]).score, 75);
  assert.equal(scoreResults([result('warn', 'high')]).score, 88);
  assert.equal(scoreResults([result('fail', 'medium'), result('warn', 'low')]).score, 86);
  assert.equal(scoreResults([result('fail', 'high'), result('fail', 'high'), result('fail', 'high'), result('fail', 'high'), result('fail', 'high')]).score, 0);
});

test('a critical failure is an F whatever else passes', () => {
  const results = [result('fail', 'critical'), ...Array.from({ length: 20 }, () => result('pass', 'info'))];
  assert.equal(scoreResults(results).grade, 'F');
});

test('grades follow the floors', () => {
  assert.equal(scoreResults([result('warn', 'medium')]).grade, 'A');
  assert.equal(scoreResults([result('fail', 'medium')]).grade, 'B');
  assert.equal(scoreResults([result('fail', 'high')]).grade, 'C');
  assert.equal(scoreResults([result('fail', 'high'), result('fail', 'low'), result('fail', 'low')]).grade, 'D');
  assert.equal(scoreResults([result('fail', 'high'), result('fail', 'high')]).grade, 'E');
  assert.equal(scoreResults([result('fail', 'high'), result('fail', 'high'), result('fail', 'low')]).grade, 'F');
});
