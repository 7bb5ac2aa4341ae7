import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckStatus } from '../../src/checks/types.ts';
import { addDays, daysOf, startOfLocalDate } from '../../src/norm/calendar.ts';
import { evaluateMonth, type Observation } from '../../src/norm/compliance.ts';
import { validateNorm } from '../../src/norm/load.ts';
import type { Norm } from '../../src/norm/types.ts';
import { knownChecks, normDocument } from './helpers.ts';

const norm = validateNorm(normDocument(), knownChecks).norm as Norm;
const tz = 'Europe/Amsterdam';
const at = (day: string, hour = 3) => new Date(startOfLocalDate(day, tz).getTime() + hour * 3600_000);

/** Daily observations of every check on one site, with the cert status chosen per day. */
function daily(month: string, cert: (day: string) => CheckStatus | null, options: { from?: string } = {}): Observation[] {
  const days = [...(options.from ? Array.from({ length: 40 }, (_, i) => addDays(options.from!, i)).filter((d) => d < `${month}-01`) : []), ...daysOf(month)];
  return days.flatMap((day) => {
    const status = cert(day);
    if (status === null) return [];
    return [
      { assetId: 'site', checkId: 't.cert', checkVersion: 1, status, observedAt: at(day) },
      { assetId: 'site', checkId: 't.mail', checkVersion: 2, status: 'pass' as const, observedAt: at(day) },
    ];
  });
}

const judge = (observations: Observation[], outage: string[] = [], month = '2030-03') => evaluateMonth({ norm, month, observations, outageDays: new Set(outage) });

test('coverage: a day counts with one measurement; 80% of the days is enough, a scanner outage day is excused', () => {
  const missing = (count: number) => (day: string) => (Number(day.slice(8)) <= count ? null : 'pass');
  assert.equal(judge(daily('2030-03', missing(6))).status, 'compliant'); // 25 of 31
  const short = judge(daily('2030-03', missing(7))); // 24 of 31
  assert.equal(short.status, 'non_compliant');
  assert.deepEqual(short.problems, [{ kind: 'coverage', measuredDays: 24, expectedDays: 31 }]);
  const excused = judge(daily('2030-03', missing(7)), ['2030-03-01', '2030-03-02']);
  assert.equal(excused.status, 'compliant');
  assert.equal(excused.coverage.excusedDays, 2);
  const allOut = judge([], daysOf('2030-03'));
  assert.equal(allOut.status, 'not_assessed');
});

test('grace: failing on 14 days is within a grace of 14, on 15 days it is not; outage days do not count', () => {
  const failing = (from: string, to: string) => (day: string): CheckStatus => (day >= from && day <= to ? 'fail' : 'pass');
  assert.equal(judge(daily('2030-03', failing('2030-03-05', '2030-03-18'))).status, 'compliant');
  const late = judge(daily('2030-03', failing('2030-03-05', '2030-03-19')));
  assert.deepEqual(late.problems, [{ kind: 'grace_exceeded', controlId: 'WEB-01', failingSince: '2030-03-05', failingDays: 15, graceDays: 14 }]);
  assert.equal(judge(daily('2030-03', failing('2030-03-05', '2030-03-19')), ['2030-03-10']).status, 'compliant');
  // An advisory control failing all month does not cost the month.
  const headers = daily('2030-03', () => 'pass').map((o) => ({ ...o, checkId: o.checkId === 't.mail' ? 't.headers' : o.checkId, status: o.checkId === 't.mail' ? ('fail' as const) : o.status }));
  assert.equal(judge(headers).status, 'compliant');
});

test('a failure that started before the month counts its days from its start; an error keeps the last measurement', () => {
  const since = judge(daily('2030-03', (day) => (day <= '2030-03-03' ? 'fail' : 'pass'), { from: '2030-02-15' }).concat(
    daily('2030-02', (day) => (day >= '2030-02-15' ? 'fail' : 'pass')).filter((o) => o.observedAt >= at('2030-02-15')),
  ));
  assert.deepEqual(since.problems, [{ kind: 'grace_exceeded', controlId: 'WEB-01', failingSince: '2030-02-15', failingDays: 17, graceDays: 14 }]);
  const withErrors = daily('2030-03', (day) => (day === '2030-03-10' ? 'fail' : day > '2030-03-10' && day <= '2030-03-30' ? 'error' : 'pass'));
  const verdict = judge(withErrors);
  assert.equal(verdict.status, 'non_compliant', 'scanner errors do not make a failure go away');
  assert.equal(verdict.openFailures.length, 0);
});

test('a failure still within grace at the month end keeps the month and carries its deadline', () => {
  const verdict = judge(daily('2030-03', (day) => (day >= '2030-03-25' ? 'fail' : 'pass')));
  assert.equal(verdict.status, 'compliant');
  assert.deepEqual(verdict.openFailures.map((f) => [f.controlId, f.failingSince, f.fixBy, f.withinGrace]), [['WEB-01', '2030-03-25', '2030-04-08', true]]);
  assert.deepEqual(verdict.checkVersions, { 't.cert': [1], 't.mail': [2] });
  assert.deepEqual(verdict.measuredAreas, ['website', 'mail']);
  assert.deepEqual(verdict.notMeasuredAreas, ['computers']);
});

test('month boundaries are local: 00:30 on 1 April in Amsterdam (22:30 UTC on 31 March) belongs to April', () => {
  const observations: Observation[] = [{ assetId: 'site', checkId: 't.cert', checkVersion: 1, status: 'fail', observedAt: new Date('2030-03-31T22:30:00Z') }];
  const march = judge(daily('2030-03', () => 'pass').concat(observations));
  assert.equal(march.status, 'compliant');
  assert.equal(march.openFailures.length, 0);
  const april = evaluateMonth({ norm, month: '2030-04', observations: daily('2030-03', () => 'pass').concat(observations), outageDays: new Set(), until: new Date('2030-04-01T06:00:00Z') });
  assert.deepEqual(april.openFailures.map((f) => f.failingSince), ['2030-04-01']);
  assert.equal(daysOf('2030-03').length, 31);
  // Summer time starts on 31 March 2030: that day begins at +01:00, the next at +02:00.
  assert.equal(startOfLocalDate('2030-03-31', tz).toISOString(), '2030-03-30T23:00:00.000Z');
  assert.equal(startOfLocalDate('2030-04-01', tz).toISOString(), '2030-03-31T22:00:00.000Z');
});
