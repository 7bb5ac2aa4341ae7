// Where a company stands today: its score on the current results, the running month judged so
// far ("maand 3 van 6", what blocks and by when), its trend and what changed since last month.
// Read-only; callers check access first (results.view).
import type { Kysely } from 'kysely';
import { acceptedControlIds } from '../db/repositories/accepted-risks.ts';
import { liveCertificate } from '../db/repositories/certificates.ts';
import type { DB } from '../db/schema.ts';
import { judgeOrganisationMonth, platformOutageDays } from '../jobs/monthly.ts';
import { addMonths, localDate, localMonth } from './calendar.ts';
import type { FailureEpisode, MonthVerdict } from './compliance.ts';
import type { CurrentResult } from './evaluate.ts';
import type { NormSet } from './load.ts';
import { scoreNorm, type NormScore } from './score.ts';
import type { Norm } from './types.ts';
import { streakAt } from '../certificates/lifecycle.ts';

export interface MonthPoint {
  month: string;
  status: 'compliant' | 'non_compliant' | 'not_assessed';
  score: number | null;
  grade: string | null;
  normVersion: string;
}

export interface ControlChange {
  controlId: string;
  from: 'passing' | 'failing' | 'not_measured';
  to: 'passing' | 'failing' | 'not_measured';
}

export interface Standing {
  norm: Norm;
  month: string;
  today: string;
  score: NormScore;
  /** Compliant months in a row before this one. */
  streakBefore: number;
  /** This month's number toward the certificate: 1..streakMonths. */
  monthNumber: number;
  streakMonths: number;
  soFar: MonthVerdict;
  /** Mandatory controls failing now, with the day by which they must be fixed. */
  blocking: FailureEpisode[];
  certificate: { id: string; state: string; validUntil: string } | null;
  trend: MonthPoint[];
  previous: MonthPoint | null;
  changes: ControlChange[];
  acceptedControlIds: string[];
}

const stateOf = (c: { measured: boolean; passing: boolean | null }): ControlChange['to'] => (!c.measured ? 'not_measured' : c.passing ? 'passing' : 'failing');

export async function companyStanding(db: Kysely<DB>, organisationId: string, norms: NormSet, now: Date): Promise<Standing> {
  const timezone = norms.latest().compliance.timezone;
  const month = localMonth(now, timezone);
  const today = localDate(now, timezone);
  const norm = norms.forMonth(month);
  const current = await db
    .selectFrom('check_results')
    .select(['asset_id', 'check_id', 'check_version', 'status'])
    .where('organisation_id', '=', organisationId)
    .execute();
  const accepted = await acceptedControlIds(db, organisationId, today);
  const results: CurrentResult[] = current.map((r) => ({ assetId: r.asset_id, checkId: r.check_id, checkVersion: r.check_version, status: r.status }));
  const score = scoreNorm(norm, results, accepted);
  const soFar = await judgeOrganisationMonth(db, organisationId, month, norm, { platformOutage: await platformOutageDays(db, month, timezone, now), until: now });
  const stored = await db
    .selectFrom('monthly_results')
    .select(['month', 'status', 'score', 'grade', 'norm_version', 'control_scores'])
    .where('organisation_id', '=', organisationId)
    .orderBy('month', 'desc')
    .limit(24)
    .execute();
  const trend: MonthPoint[] = stored
    .map((r) => ({ month: r.month, status: r.status, score: r.score, grade: r.grade, normVersion: r.norm_version }))
    .reverse();
  const previousMonth = addMonths(month, -1);
  const lastStored = stored.find((r) => r.month === previousMonth);
  const revocation = await db
    .selectFrom('certificates')
    .select('revoked_at')
    .where('organisation_id', '=', organisationId)
    .where('state', '=', 'revoked')
    .orderBy('revoked_at', 'desc')
    .executeTakeFirst();
  const revokedIn = revocation?.revoked_at ? localMonth(revocation.revoked_at, timezone) : null;
  const streakBefore = streakAt(stored.map((r) => ({ month: r.month, status: r.status })), previousMonth, revokedIn);
  const previousControls = new Map(((lastStored?.control_scores ?? []) as Array<{ controlId: string; measured: boolean; passing: boolean | null }>).map((c) => [c.controlId, stateOf(c)]));
  const changes: ControlChange[] = lastStored
    ? score.controls
        .map((c) => ({ controlId: c.controlId, from: previousControls.get(c.controlId) ?? 'not_measured', to: stateOf(c) }))
        .filter((c) => c.from !== c.to)
    : [];
  const live = await liveCertificate(db, organisationId);
  return {
    norm,
    month,
    today,
    score,
    streakBefore,
    monthNumber: Math.min(streakBefore + 1, norm.certificate.streakMonths),
    streakMonths: norm.certificate.streakMonths,
    soFar,
    blocking: soFar.openFailures,
    certificate: live ? { id: live.id, state: live.state, validUntil: live.valid_until } : null,
    trend,
    previous: trend.find((p) => p.month === previousMonth) ?? null,
    changes,
    acceptedControlIds: [...accepted],
  };
}
