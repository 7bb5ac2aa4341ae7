// How one control stands on a set of current results: which assets pass it, its score, and
// whether its threshold is met. Shared by the score (score.ts) and the monthly rule
// (compliance.ts), so both read the results the same way. Pure.
import type { CheckStatus } from '../checks/types.ts';
import type { NormControl } from './types.ts';

/** The latest result of one check on one asset. */
export interface CurrentResult {
  assetId: string;
  checkId: string;
  checkVersion: number;
  status: CheckStatus;
}

/** Points per outcome; error and info are not measurements of the company. */
export const outcomePoints: Partial<Record<CheckStatus, number>> = { pass: 100, notice: 90, warn: 50, fail: 0 };
export const isMeasurement = (status: CheckStatus): boolean => outcomePoints[status] !== undefined;

export interface ControlEvaluation {
  controlId: string;
  /** false when no check of the control measured anything (yet) for this company. */
  measured: boolean;
  /** null when not measured. */
  passing: boolean | null;
  /** 0–100, null when not measured. */
  score: number | null;
  assets: number;
  failingAssetIds: string[];
}

export function evaluateControl(control: NormControl, results: readonly CurrentResult[]): ControlEvaluation {
  const checkIds = new Set(control.checks);
  const byAsset = new Map<string, CurrentResult[]>();
  for (const result of results) {
    if (!checkIds.has(result.checkId) || !isMeasurement(result.status)) continue;
    const list = byAsset.get(result.assetId) ?? [];
    list.push(result);
    byAsset.set(result.assetId, list);
  }
  if (byAsset.size === 0) return { controlId: control.id, measured: false, passing: null, score: null, assets: 0, failingAssetIds: [] };
  const assetScores: number[] = [];
  const failingAssetIds: string[] = [];
  for (const [assetId, list] of [...byAsset].sort(([a], [b]) => a.localeCompare(b))) {
    assetScores.push(list.reduce((sum, r) => sum + (outcomePoints[r.status] ?? 0), 0) / list.length);
    if (list.some((r) => control.failOn.includes(r.status))) failingAssetIds.push(assetId);
  }
  const passingShare = (byAsset.size - failingAssetIds.length) / byAsset.size;
  const passing = control.threshold.kind === 'every' ? failingAssetIds.length === 0 : passingShare >= control.threshold.min;
  // Weak assets weigh: where every asset must pass, the control is as strong as its weakest
  // asset; where a share suffices (devices), the average over the assets.
  const score =
    control.threshold.kind === 'every' ? Math.min(...assetScores) : assetScores.reduce((sum, s) => sum + s, 0) / assetScores.length;
  return { controlId: control.id, measured: true, passing, score, assets: byAsset.size, failingAssetIds };
}
