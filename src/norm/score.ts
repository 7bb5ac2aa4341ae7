// The norm's score: 0–100 per area and overall, and a grade A–F, computed from the current
// results alone (deterministic). Method in docs/scoring.md. Pure.
import type { Grade } from '../scan/score.ts';
import { evaluateControl, type ControlEvaluation, type CurrentResult } from './evaluate.ts';
import type { Norm, Pillar } from './types.ts';

export type { Grade };

const gradeFloors: [Grade, number][] = [
  ['A', 90],
  ['B', 80],
  ['C', 70],
  ['D', 60],
  ['E', 50],
];
/** A company that fails a mandatory control does not meet the norm: its grade is D at best. */
export const gradeCapWhenMandatoryFails: Grade = 'D';

export interface ControlScore extends ControlEvaluation {
  level: 'mandatory' | 'advisory';
  area: string;
  weight: number;
  /** An accepted risk covers this (advisory) control: shown apart, left out of the score. */
  accepted: boolean;
}

export interface AreaScore {
  areaId: string;
  pillar: Pillar;
  weight: number;
  /** false: "not measured", never 0 or 100. */
  measured: boolean;
  score: number | null;
}

export interface NormScore {
  normVersion: string;
  score: number | null;
  grade: Grade | null;
  areas: AreaScore[];
  controls: ControlScore[];
  /** Mandatory controls that are measured and failing now. */
  failingMandatory: string[];
}

export function gradeFor(score: number, mandatoryFailing: boolean): Grade {
  const grade = gradeFloors.find(([, floor]) => score >= floor)?.[0] ?? 'F';
  if (!mandatoryFailing) return grade;
  return grade < gradeCapWhenMandatoryFails ? gradeCapWhenMandatoryFails : grade;
}

function weightedMean(items: Array<{ weight: number; score: number }>): number | null {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (items.length === 0 || total === 0) return null;
  return items.reduce((sum, item) => sum + item.weight * item.score, 0) / total;
}

/**
 * Scores current results against the norm. `acceptedControlIds` are advisory controls with an
 * accepted risk; an id of a mandatory control there is ignored (an accepted risk never passes a
 * mandatory control).
 */
export function scoreNorm(norm: Norm, results: readonly CurrentResult[], acceptedControlIds: ReadonlySet<string> = new Set()): NormScore {
  const controls: ControlScore[] = norm.controls.map((control) => ({
    ...evaluateControl(control, results),
    level: control.level,
    area: control.area,
    weight: control.weight,
    accepted: control.level === 'advisory' && acceptedControlIds.has(control.id),
  }));
  const areas: AreaScore[] = norm.areas.map((area) => {
    const counted = controls.filter((c) => c.area === area.id && c.measured && !c.accepted);
    const score = weightedMean(counted.map((c) => ({ weight: c.weight, score: c.score as number })));
    return { areaId: area.id, pillar: area.pillar, weight: area.weight, measured: score !== null, score: score === null ? null : Math.round(score) };
  });
  const overallRaw = weightedMean(areas.filter((a) => a.measured).map((a) => ({ weight: a.weight, score: a.score as number })));
  const failingMandatory = controls.filter((c) => c.level === 'mandatory' && c.passing === false).map((c) => c.controlId);
  const score = overallRaw === null ? null : Math.round(overallRaw);
  return {
    normVersion: norm.version,
    score,
    grade: score === null ? null : gradeFor(score, failingMandatory.length > 0),
    areas,
    controls,
    failingMandatory,
  };
}
