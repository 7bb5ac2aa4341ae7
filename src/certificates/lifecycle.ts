// The Cyberkeurmerk's life as a pure state machine: what happens to a company's certificate after
// a month has been judged. The job (src/jobs/monthly.ts) applies the actions and audits each one.
//
//   (none) --streak of N compliant months--> issued | pending_approval
//   pending_approval --coordinator approves--> issued;  --a non-compliant month--> lapsed
//   issued --non-compliant month (warnAfter)--> warned --compliant month--> issued
//   issued|warned --lapseAfter consecutive non-compliant months--> lapsed
//   issued --compliant month while it ends before the next judgement--> renewed (+ a new issued one)
//   issued|warned|pending_approval --coordinator, with a reason--> revoked
//   issued|warned --valid until has passed--> expired
import type { MonthStatus } from '../norm/compliance.ts';
import { addDays, addMonths } from '../norm/calendar.ts';
import type { CertificateRules } from '../norm/types.ts';

export type CertificateState = 'pending_approval' | 'issued' | 'warned' | 'renewed' | 'lapsed' | 'revoked' | 'expired';
/** States in which a certificate is the company's current one. */
export const liveStates: readonly CertificateState[] = ['pending_approval', 'issued', 'warned'];
/** States in which a certificate counts as valid between its dates. */
export const validStates: readonly CertificateState[] = ['issued', 'warned', 'renewed'];

export interface LiveCertificate {
  id: string;
  state: CertificateState;
  validUntil: string;
}

export interface MonthRecord {
  month: string;
  status: MonthStatus;
}

/**
 * Consecutive compliant months ending at `month`. Months not assessed (the scanner was out the
 * whole month) neither break nor extend it; a missing month, a non-compliant month or a
 * revocation ends it.
 */
export function streakAt(records: readonly MonthRecord[], month: string, notAfterRevocationIn: string | null = null): number {
  const byMonth = new Map(records.map((r) => [r.month, r.status]));
  let streak = 0;
  for (let m = month; ; m = addMonths(m, -1)) {
    if (notAfterRevocationIn && m <= notAfterRevocationIn) break;
    const status = byMonth.get(m);
    if (status === 'compliant') streak++;
    else if (status !== 'not_assessed') break;
  }
  return streak;
}

/** Consecutive non-compliant months ending at `month` (months not assessed skipped). */
export function nonCompliantRunAt(records: readonly MonthRecord[], month: string): number {
  const byMonth = new Map(records.map((r) => [r.month, r.status]));
  let run = 0;
  for (let m = month; ; m = addMonths(m, -1)) {
    const status = byMonth.get(m);
    if (status === 'non_compliant') run++;
    else if (status !== 'not_assessed') break;
  }
  return run;
}

export const validUntilFor = (validFrom: string, rules: CertificateRules): string =>
  addDays(`${addMonths(validFrom.slice(0, 7), rules.validityMonths)}${validFrom.slice(7)}`, -1);

export type LifecycleAction =
  | { kind: 'expire'; certificateId: string }
  | { kind: 'issue'; state: 'issued' | 'pending_approval'; validFrom: string; validUntil: string }
  | { kind: 'renew'; previousId: string; validFrom: string; validUntil: string }
  | { kind: 'warn'; certificateId: string }
  | { kind: 'clear_warning'; certificateId: string }
  | { kind: 'lapse'; certificateId: string; reason: 'non_compliant' | 'non_compliant_before_approval' };

export interface LifecycleInput {
  /** The month just judged, and its verdict. */
  month: string;
  status: MonthStatus;
  streak: number;
  nonCompliantRun: number;
  live: LiveCertificate | null;
  rules: CertificateRules;
  approvalRequired: boolean;
}

/** What to do after `month` was judged; the judgement happens on the first day of the next month. */
export function decideLifecycle(input: LifecycleInput): LifecycleAction[] {
  const { rules } = input;
  const judgedOn = `${addMonths(input.month, 1)}-01`;
  const nextJudgement = `${addMonths(input.month, 2)}-01`;
  const actions: LifecycleAction[] = [];
  let live = input.live;

  if (live && live.state !== 'pending_approval' && live.validUntil < judgedOn) {
    actions.push({ kind: 'expire', certificateId: live.id });
    live = null;
  }

  if (!live) {
    if (input.status === 'compliant' && input.streak >= rules.streakMonths) {
      actions.push({
        kind: 'issue',
        state: input.approvalRequired ? 'pending_approval' : 'issued',
        validFrom: judgedOn,
        validUntil: validUntilFor(judgedOn, rules),
      });
    }
    return actions;
  }

  if (live.state === 'pending_approval') {
    if (input.status === 'non_compliant') actions.push({ kind: 'lapse', certificateId: live.id, reason: 'non_compliant_before_approval' });
    return actions;
  }

  if (input.status === 'compliant') {
    if (live.state === 'warned') actions.push({ kind: 'clear_warning', certificateId: live.id });
    // Renewed while compliance continues: when it would end before the next judgement.
    if (live.validUntil < nextJudgement) {
      const validFrom = addDays(live.validUntil, 1);
      actions.push({ kind: 'renew', previousId: live.id, validFrom, validUntil: validUntilFor(validFrom, rules) });
    }
  } else if (input.status === 'non_compliant') {
    if (input.nonCompliantRun >= rules.lapseAfterNonCompliantMonths) actions.push({ kind: 'lapse', certificateId: live.id, reason: 'non_compliant' });
    else if (input.nonCompliantRun >= rules.warnAfterNonCompliantMonths && live.state !== 'warned') actions.push({ kind: 'warn', certificateId: live.id });
  }
  return actions;
}
