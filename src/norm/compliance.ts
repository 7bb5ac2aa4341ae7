// The monthly rule: does a company meet the norm in a calendar month? Computed from stored daily
// results, replayed in time order. The rule in words is in docs/scoring.md ("Monthly
// compliance"); this function is its one implementation. Pure.
import { addDays, daysBetween, daysOf, endOfMonth, localDate, monthOf, startOfMonth } from './calendar.ts';
import { evaluateControl, isMeasurement, type CurrentResult } from './evaluate.ts';
import { scoreNorm, type NormScore } from './score.ts';
import type { Norm, NormControl } from './types.ts';

export interface Observation extends CurrentResult {
  observedAt: Date;
}

export type MonthStatus = 'compliant' | 'non_compliant' | 'not_assessed';

export interface Coverage {
  measuredDays: number;
  /** Days of the month (so far) that count: the month's days less scanner outage days without a measurement. */
  expectedDays: number;
  /** Days excused because the scanner itself was out. */
  excusedDays: number;
  share: number | null;
  sufficient: boolean;
}

export interface FailureEpisode {
  controlId: string;
  /** First local day the control failed in this episode (may lie before the month). */
  failingSince: string;
  /** Last local day it was seen failing. */
  lastFailingDay: string;
  /** Days failing, outage days not counted. */
  failingDays: number;
  graceDays: number;
  /** The first day on which it must no longer fail (failingSince + grace, outage days added). */
  fixBy: string;
  withinGrace: boolean;
  /** Still failing at the last measurement. */
  open: boolean;
}

export type MonthProblem =
  | { kind: 'coverage'; measuredDays: number; expectedDays: number }
  | { kind: 'grace_exceeded'; controlId: string; failingSince: string; failingDays: number; graceDays: number };

export interface MonthVerdict {
  month: string;
  normId: string;
  normVersion: string;
  status: MonthStatus;
  coverage: Coverage;
  problems: MonthProblem[];
  /** Mandatory controls failing at the last measurement (within grace or not): what blocks now. */
  openFailures: FailureEpisode[];
  measuredAreas: string[];
  notMeasuredAreas: string[];
  /** Check versions used in the month, per check id. */
  checkVersions: Record<string, number[]>;
  /** The score at the month's last measurement. */
  score: NormScore;
  lastMeasurementAt: Date | null;
}

export interface MonthInput {
  norm: Norm;
  month: string;
  /** Results from at least `lookbackDays(norm)` days before the month until its end (or `until`). */
  observations: readonly Observation[];
  /** Local days on which the scanner itself was out (see docs/scoring.md). */
  outageDays: ReadonlySet<string>;
  /** Advisory controls with an accepted risk, for the score only. */
  acceptedControlIds?: ReadonlySet<string>;
  /** Judge the month only up to this instant (the running month); default its end. */
  until?: Date;
}

/** How far before a month its evaluation must read: an episode older than the longest grace has run out anyway. */
export const lookbackDays = (norm: Norm): number => Math.max(0, ...norm.controls.map((c) => c.graceDays)) + 1;

function countFailingDays(from: string, to: string, outageDays: ReadonlySet<string>): number {
  let count = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) if (!outageDays.has(day)) count++;
  return count;
}

/** The first day that would be failing day number grace + 1, counting only non-outage days. */
function fixByDay(from: string, graceDays: number, outageDays: ReadonlySet<string>): string {
  let counted = 0;
  let day = from;
  for (let guard = 0; guard < 3660; guard++, day = addDays(day, 1)) {
    if (outageDays.has(day)) continue;
    if (counted === graceDays) return day;
    counted++;
  }
  return day;
}

const keyOf = (r: CurrentResult) => `${r.assetId}\u0000${r.checkId}`;

export function evaluateMonth(input: MonthInput): MonthVerdict {
  const { norm, month, outageDays } = input;
  const timezone = norm.compliance.timezone;
  const monthStart = startOfMonth(month, timezone);
  const monthEnd = input.until && input.until < endOfMonth(month, timezone) ? input.until : endOfMonth(month, timezone);
  const firstDay = daysOf(month)[0] as string;
  const judged = norm.controls.filter((c): c is NormControl => c.checks.length > 0);
  const normChecks = new Set(judged.flatMap((c) => c.checks));

  const observations = input.observations
    .filter((o) => o.observedAt < monthEnd && normChecks.has(o.checkId))
    .sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());

  // Replay: the latest measurement per (asset, check); an error keeps the last real measurement.
  const state = new Map<string, CurrentResult>();
  const open = new Map<string, { since: string; last: string }>();
  const episodes: Array<{ control: NormControl; since: string; last: string; open: boolean }> = [];
  const measuredDays = new Set<string>();
  const measuredControls = new Set<string>();
  const checkVersions = new Map<string, Set<number>>();
  let lastMeasurementAt: Date | null = null;

  const judge = (at: Date) => {
    const day = localDate(at, timezone);
    const current = [...state.values()];
    for (const control of judged) {
      const evaluation = evaluateControl(control, current);
      if (at >= monthStart && evaluation.measured) measuredControls.add(control.id);
      if (control.level !== 'mandatory') continue;
      const episode = open.get(control.id);
      if (evaluation.passing === false) {
        if (episode) episode.last = day;
        else open.set(control.id, { since: day, last: day });
      } else if (episode && evaluation.passing === true) {
        episodes.push({ control, since: episode.since, last: episode.last, open: false });
        open.delete(control.id);
      }
    }
  };

  for (let i = 0; i < observations.length; ) {
    const at = observations[i]!.observedAt;
    for (; i < observations.length && observations[i]!.observedAt.getTime() === at.getTime(); i++) {
      const observation = observations[i]!;
      if (!isMeasurement(observation.status)) continue;
      state.set(keyOf(observation), observation);
      if (at >= monthStart) {
        measuredDays.add(localDate(at, timezone));
        lastMeasurementAt = at;
        const versions = checkVersions.get(observation.checkId) ?? new Set<number>();
        versions.add(observation.checkVersion);
        checkVersions.set(observation.checkId, versions);
      }
    }
    judge(at);
  }
  for (const [controlId, episode] of open) {
    episodes.push({ control: judged.find((c) => c.id === controlId) as NormControl, since: episode.since, last: episode.last, open: true });
  }

  const describe = (e: (typeof episodes)[number]): FailureEpisode => {
    const failingDays = countFailingDays(e.since, e.last, outageDays);
    return {
      controlId: e.control.id,
      failingSince: e.since,
      lastFailingDay: e.last,
      failingDays,
      graceDays: e.control.graceDays,
      fixBy: fixByDay(e.since, e.control.graceDays, outageDays),
      withinGrace: failingDays <= e.control.graceDays,
      open: e.open,
    };
  };
  // An episode counts in the month when it failed in it, or is still open (carried into it).
  const inMonth = episodes.filter((e) => e.open || e.last >= firstDay).map(describe);

  // Coverage: a day counts when the company was measured on it; a day the scanner itself was
  // out is excused (taken out of the count) unless the company was measured anyway.
  const lastCountedDay = localDate(new Date(monthEnd.getTime() - 1), timezone);
  const countedDays = daysOf(month).filter((day) => day <= lastCountedDay);
  const excusedDays = countedDays.filter((day) => outageDays.has(day) && !measuredDays.has(day)).length;
  const expectedDays = countedDays.length - excusedDays;
  const share = expectedDays > 0 ? measuredDays.size / expectedDays : null;
  const coverage: Coverage = {
    measuredDays: measuredDays.size,
    expectedDays,
    excusedDays,
    share,
    sufficient: share !== null && share >= norm.compliance.coverageShare,
  };

  const problems: MonthProblem[] = [];
  if (share !== null && !coverage.sufficient) problems.push({ kind: 'coverage', measuredDays: measuredDays.size, expectedDays });
  for (const episode of inMonth) {
    if (!episode.withinGrace) {
      problems.push({ kind: 'grace_exceeded', controlId: episode.controlId, failingSince: episode.failingSince, failingDays: episode.failingDays, graceDays: episode.graceDays });
    }
  }
  const status: MonthStatus = expectedDays === 0 ? 'not_assessed' : problems.length === 0 ? 'compliant' : 'non_compliant';

  const measuredAreas = norm.areas.filter((a) => judged.some((c) => c.area === a.id && measuredControls.has(c.id))).map((a) => a.id);
  return {
    month,
    normId: norm.id,
    normVersion: norm.version,
    status,
    coverage,
    problems,
    openFailures: inMonth.filter((e) => e.open),
    measuredAreas,
    notMeasuredAreas: norm.areas.map((a) => a.id).filter((id) => !measuredAreas.includes(id)),
    checkVersions: Object.fromEntries([...checkVersions].sort(([a], [b]) => a.localeCompare(b)).map(([id, v]) => [id, [...v].sort((x, y) => x - y)])),
    score: scoreNorm(norm, [...state.values()], input.acceptedControlIds),
    lastMeasurementAt,
  };
}

export { daysBetween, monthOf };
