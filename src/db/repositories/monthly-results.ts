// Monthly verdicts: stored once by the monthly job (system code, not scoped), read by people
// through their scope (src/authz): the score trend belongs with the results.
import type { Kysely } from 'kysely';
import type { Actor } from '../../authz/actor.ts';
import type { MonthVerdict } from '../../norm/compliance.ts';
import type { DB, MonthlyStatus } from '../schema.ts';
import { requireOrganisation } from './organisations.ts';

export interface MonthRecordRow {
  month: string;
  status: MonthlyStatus;
}

/** Stores a verdict unless the month was judged already; true when this call stored it. */
export async function storeMonthlyResult(db: Kysely<DB>, organisationId: string, verdict: MonthVerdict, streak: number, computedAt: Date): Promise<boolean> {
  const row = await db
    .insertInto('monthly_results')
    .values({
      organisation_id: organisationId,
      month: verdict.month,
      norm_id: verdict.normId,
      norm_version: verdict.normVersion,
      status: verdict.status,
      score: verdict.score.score,
      grade: verdict.score.grade,
      streak,
      coverage: JSON.stringify(verdict.coverage),
      problems: JSON.stringify(verdict.problems),
      open_failures: JSON.stringify(verdict.openFailures),
      area_scores: JSON.stringify(verdict.score.areas),
      control_scores: JSON.stringify(
        verdict.score.controls.map((c) => ({ controlId: c.controlId, level: c.level, measured: c.measured, passing: c.passing, score: c.score, accepted: c.accepted })),
      ),
      measured_areas: JSON.stringify(verdict.measuredAreas),
      check_versions: JSON.stringify(verdict.checkVersions),
      computed_at: computedAt,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'month']).doNothing())
    .returning('month')
    .executeTakeFirst();
  return row !== undefined;
}

export async function monthRecords(db: Kysely<DB>, organisationId: string): Promise<MonthRecordRow[]> {
  return db.selectFrom('monthly_results').select(['month', 'status']).where('organisation_id', '=', organisationId).orderBy('month').execute();
}

export async function lastJudgedMonth(db: Kysely<DB>, organisationId: string): Promise<string | null> {
  const row = await db.selectFrom('monthly_results').select('month').where('organisation_id', '=', organisationId).orderBy('month', 'desc').executeTakeFirst();
  return row?.month ?? null;
}

/** The company's monthly verdicts, newest first, for those who may see its results. */
export async function listMonthlyResults(db: Kysely<DB>, actor: Actor, organisationId: string, limit = 24) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'results.view');
  return db
    .selectFrom('monthly_results')
    .selectAll()
    .where('organisation_id', '=', organisation.id)
    .orderBy('month', 'desc')
    .limit(limit)
    .execute();
}
