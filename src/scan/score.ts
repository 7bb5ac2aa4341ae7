// The score of one scan: 100 minus a penalty per finding, weighted by how serious it is, and a
// grade A–F. Deterministic from the results alone. This is the per-scan score the CLI and the
// scan page show; the norm's monthly score (issue 5) builds on the stored results instead.
import type { CheckResult, CheckStatus, Severity } from '../checks/types.ts';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

const failPenalty: Record<Severity, number> = { critical: 50, high: 25, medium: 12, low: 5, info: 0 };
/** Share of the fail penalty that a weaker outcome costs. */
const outcomeShare: Record<CheckStatus, number> = { fail: 1, warn: 0.5, notice: 0.1, pass: 0, info: 0, error: 0 };

const gradeFloors: [Grade, number][] = [
  ['A', 90],
  ['B', 80],
  ['C', 70],
  ['D', 60],
  ['E', 50],
];

export interface ScanScore {
  /** 0–100, or null when nothing could be measured (every result an error). */
  score: number | null;
  grade: Grade | null;
  /** How many results counted (errors and info are not measurements of the company). */
  measured: number;
}

export function scoreResults(results: readonly CheckResult[]): ScanScore {
  const measured = results.filter((result) => result.status !== 'error' && result.status !== 'info');
  if (measured.length === 0) return { score: null, grade: null, measured: 0 };
  const penalty = measured.reduce((sum, result) => sum + failPenalty[result.severity] * outcomeShare[result.status], 0);
  const score = Math.max(0, Math.round(100 - penalty));
  // A critical failure is never outweighed by everything else being in order.
  const criticalFailure = measured.some((result) => result.status === 'fail' && result.severity === 'critical');
  const grade = criticalFailure ? 'F' : (gradeFloors.find(([, floor]) => score >= floor)?.[0] ?? 'F');
  return { score, grade, measured: measured.length };
}
