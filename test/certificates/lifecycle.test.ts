import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLifecycle, nonCompliantRunAt, streakAt, validUntilFor } from '../../src/certificates/lifecycle.ts';

const rules = { level: 'basis', streakMonths: 6, validityMonths: 12, warnAfterNonCompliantMonths: 1, lapseAfterNonCompliantMonths: 2 };
const months = (statuses: Array<'compliant' | 'non_compliant' | 'not_assessed'>, from = 2030) =>
  statuses.map((status, i) => ({ month: `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, status }));

test('the streak counts compliant months back; not assessed months are skipped; a gap, a failure or a revocation ends it', () => {
  const records = months(['non_compliant', 'compliant', 'not_assessed', 'compliant', 'compliant']);
  assert.equal(streakAt(records, '2030-05'), 3);
  assert.equal(streakAt(records, '2030-05', '2030-02'), 2);
  assert.equal(streakAt(records, '2030-07'), 0, 'an unjudged month breaks it');
  assert.equal(nonCompliantRunAt(months(['compliant', 'non_compliant', 'not_assessed', 'non_compliant']), '2030-04'), 2);
  assert.equal(validUntilFor('2030-07-01', rules), '2031-06-30');
});

test('issue at the streak, with or without approval; nothing before it', () => {
  const base = { month: '2030-06', status: 'compliant' as const, nonCompliantRun: 0, live: null, rules, approvalRequired: false };
  assert.deepEqual(decideLifecycle({ ...base, streak: 5 }), []);
  assert.deepEqual(decideLifecycle({ ...base, streak: 6 }), [{ kind: 'issue', state: 'issued', validFrom: '2030-07-01', validUntil: '2031-06-30' }]);
  assert.equal((decideLifecycle({ ...base, streak: 6, approvalRequired: true })[0] as { state: string }).state, 'pending_approval');
});

test('warn once, lapse at the second month; a compliant month clears the warning; renew only near the end; expire after it', () => {
  const live = { id: 'c1', state: 'issued' as const, validUntil: '2031-06-30' };
  const base = { month: '2030-09', streak: 0, live, rules, approvalRequired: false };
  assert.deepEqual(decideLifecycle({ ...base, status: 'non_compliant', nonCompliantRun: 1 }), [{ kind: 'warn', certificateId: 'c1' }]);
  assert.deepEqual(decideLifecycle({ ...base, live: { ...live, state: 'warned' }, status: 'non_compliant', nonCompliantRun: 2 }), [{ kind: 'lapse', certificateId: 'c1', reason: 'non_compliant' }]);
  assert.deepEqual(decideLifecycle({ ...base, live: { ...live, state: 'warned' }, status: 'compliant', nonCompliantRun: 0, streak: 1 }), [{ kind: 'clear_warning', certificateId: 'c1' }]);
  assert.deepEqual(decideLifecycle({ ...base, status: 'not_assessed', nonCompliantRun: 0 }), []);
  assert.deepEqual(decideLifecycle({ ...base, month: '2031-04', status: 'compliant', nonCompliantRun: 0, streak: 9 }), []);
  assert.deepEqual(decideLifecycle({ ...base, month: '2031-05', status: 'compliant', nonCompliantRun: 0, streak: 10 }), [
    { kind: 'renew', previousId: 'c1', validFrom: '2031-07-01', validUntil: '2032-06-30' },
  ]);
  assert.deepEqual(decideLifecycle({ ...base, month: '2031-06', status: 'non_compliant', nonCompliantRun: 1 }), [{ kind: 'expire', certificateId: 'c1' }]);
  const pending = { id: 'p1', state: 'pending_approval' as const, validUntil: '2031-06-30' };
  assert.deepEqual(decideLifecycle({ ...base, live: pending, status: 'non_compliant', nonCompliantRun: 1 }), [{ kind: 'lapse', certificateId: 'p1', reason: 'non_compliant_before_approval' }]);
});
