// The monthly evaluation: on the first day of a month, judge the month before for every company
// (and any earlier month that was never judged, so a worker that was down catches up), store the
// verdict with the norm and check versions it used, and move the Cyberkeurmerk along its
// lifecycle. One company is one transaction; a month judged once is never judged again.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { decideLifecycle, nonCompliantRunAt, streakAt, type LifecycleAction } from '../certificates/lifecycle.ts';
import { signCertificate, type CertificateIssuer } from '../certificates/issuer.ts';
import type { SigningKey } from '../certificates/keys.ts';
import { acceptedControlIds } from '../db/repositories/accepted-risks.ts';
import { changeState, lastRevocationMonth, liveCertificate, recordTransition, syncOrganisationStatus, type TransitionContext } from '../db/repositories/certificates.ts';
import { monthRecords, lastJudgedMonth, storeMonthlyResult } from '../db/repositories/monthly-results.ts';
import type { DB } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { addDays, addMonths, endOfMonth, lastDayOf, localMonth, startOfLocalDate, startOfMonth } from '../norm/calendar.ts';
import { evaluateMonth, lookbackDays, type MonthVerdict, type Observation } from '../norm/compliance.ts';
import type { NormSet } from '../norm/load.ts';
import type { Norm } from '../norm/types.ts';

/** Months a catching-up run looks back at most. */
export const maxCatchUpMonths = 24;

export interface MonthlyDependencies {
  norms: NormSet;
  issuer: CertificateIssuer;
  logger?: Logger;
}

export interface MonthlyRunSummary {
  months: string[];
  judged: number;
  actions: Array<{ organisationId: string; month: string; action: LifecycleAction['kind'] }>;
}

/** Local days of a month on which the platform completed no scan at all: the scanner was out. */
export async function platformOutageDays(db: Kysely<DB>, month: string, timezone: string, until?: Date): Promise<Set<string>> {
  // In a running month only the days that have passed can have been an outage.
  const lastDay = until ? addDays(localDateOf(until, timezone), -1) : lastDayOf(month);
  const to = lastDay < lastDayOf(month) ? lastDay : lastDayOf(month);
  if (to < `${month}-01`) return new Set();
  // One indexed probe per day (scans_completed_started_idx), not a read of the month's scans.
  const rows = await sql<{ day: string }>`
    SELECT to_char(d, 'YYYY-MM-DD') AS day
    FROM generate_series(${`${month}-01`}::date, ${to}::date, interval '1 day') AS d
    WHERE NOT EXISTS (
      SELECT 1 FROM scans
      WHERE status = 'completed'
        AND started_at >= (d::date::timestamp AT TIME ZONE ${timezone})
        AND started_at < ((d::date + 1)::timestamp AT TIME ZONE ${timezone}))`.execute(db);
  return new Set(rows.rows.map((r) => r.day));
}

/** Local days on which every scan of this company failed (the job gave up): not the company's doing. */
async function failedScanDays(db: Kysely<DB>, organisationId: string, from: Date, to: Date, timezone: string): Promise<Set<string>> {
  const rows = await sql<{ day: string }>`
    SELECT to_char(started_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day
    FROM scans WHERE organisation_id = ${organisationId} AND started_at >= ${from} AND started_at < ${to}
    GROUP BY 1 HAVING bool_and(status = 'failed')`.execute(db);
  return new Set(rows.rows.map((r) => r.day));
}

export async function loadObservations(db: Kysely<DB>, organisationId: string, norm: Norm, from: Date, to: Date): Promise<Observation[]> {
  const checkIds = [...new Set(norm.controls.flatMap((c) => c.checks))];
  if (checkIds.length === 0) return [];
  const rows = await db
    .selectFrom('check_result_history')
    .select(['asset_id', 'check_id', 'check_version', 'status', 'observed_at'])
    .where('organisation_id', '=', organisationId)
    .where('check_id', 'in', checkIds)
    .where('observed_at', '>=', from)
    .where('observed_at', '<', to)
    .orderBy('observed_at')
    .execute();
  return rows.map((r) => ({ assetId: r.asset_id, checkId: r.check_id, checkVersion: r.check_version, status: r.status, observedAt: r.observed_at }));
}

/** Everything the rule needs about one company and month, read from the stored results. */
export async function judgeOrganisationMonth(
  db: Kysely<DB>,
  organisationId: string,
  month: string,
  norm: Norm,
  options: { platformOutage: ReadonlySet<string>; until?: Date },
): Promise<MonthVerdict> {
  const timezone = norm.compliance.timezone;
  const from = startOfLocalDate(addDays(`${month}-01`, -lookbackDays(norm)), timezone);
  const to = options.until ?? endOfMonth(month, timezone);
  const observations = await loadObservations(db, organisationId, norm, from, to);
  const failedDays = await failedScanDays(db, organisationId, startOfMonth(month, timezone), to, timezone);
  const outageDays = new Set([...options.platformOutage, ...failedDays]);
  const accepted = await acceptedControlIds(db, organisationId, options.until ? localDateOf(options.until, timezone) : lastDayOf(month));
  return evaluateMonth({ norm, month, observations, outageDays, acceptedControlIds: accepted, ...(options.until ? { until: options.until } : {}) });
}

const localDateOf = (instant: Date, timezone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(instant);

async function applyActions(
  context: TransitionContext,
  actions: LifecycleAction[],
  facts: { month: string; norm: Norm; verdict: MonthVerdict; programmeId: string; key: SigningKey | null; deps: MonthlyDependencies },
) {
  const { trx, organisationId, now } = context;
  for (const action of actions) {
    switch (action.kind) {
      case 'expire': {
        const live = await liveCertificate(trx, organisationId);
        if (!live || live.id !== action.certificateId) break;
        await changeState({ ...context, details: { validUntil: live.valid_until } }, live.id, live.state, 'expired', { ended_at: now });
        await syncOrganisationStatus(context, false);
        break;
      }
      case 'warn':
        await changeState({ ...context, details: { month: facts.month, problems: facts.verdict.problems } }, action.certificateId, 'issued', 'warned', { warned_at: now });
        break;
      case 'clear_warning':
        await changeState({ ...context, details: { month: facts.month } }, action.certificateId, 'warned', 'issued', { warned_at: null });
        break;
      case 'lapse': {
        const live = await liveCertificate(trx, organisationId);
        if (!live) break;
        await changeState({ ...context, details: { month: facts.month, reason: action.reason } }, action.certificateId, live.state, 'lapsed', { ended_at: now });
        await syncOrganisationStatus(context, false);
        break;
      }
      case 'issue':
      case 'renew': {
        if (action.kind === 'renew') await changeState({ ...context, details: { month: facts.month } }, action.previousId, 'issued', 'renewed');
        const pending = action.kind === 'issue' && action.state === 'pending_approval';
        const inserted = await trx
          .insertInto('certificates')
          .values({
            organisation_id: organisationId,
            programme_id: facts.programmeId,
            norm_id: facts.norm.id,
            norm_version: facts.norm.version,
            level: facts.norm.certificate.level,
            state: 'pending_approval',
            earned_in_month: facts.month,
            valid_from: action.validFrom,
            valid_until: action.validUntil,
            measured_areas: JSON.stringify(facts.verdict.measuredAreas),
            not_measured_areas: JSON.stringify(facts.verdict.notMeasuredAreas),
            previous_certificate_id: action.kind === 'renew' ? action.previousId : null,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const details = { month: facts.month, normVersion: facts.norm.version, validFrom: action.validFrom, validUntil: action.validUntil, renewalOf: action.kind === 'renew' ? action.previousId : null };
        if (pending) {
          await recordTransition({ ...context, details }, inserted.id, null, 'pending_approval');
          break;
        }
        if (!facts.key) throw new Error('no signing key');
        await signCertificate(trx, inserted.id, { key: facts.key, publicUrl: facts.deps.issuer.publicUrl, norms: facts.deps.norms, now });
        await recordTransition({ ...context, details }, inserted.id, null, 'issued');
        await syncOrganisationStatus(context, true);
        break;
      }
    }
  }
}

/** Judges one month of one company once and applies what follows for its certificate. */
export async function evaluateAndApply(
  db: Kysely<DB>,
  organisationId: string,
  month: string,
  deps: MonthlyDependencies,
  options: { now: Date; platformOutage: ReadonlySet<string>; key: SigningKey | null },
): Promise<{ stored: boolean; verdict: MonthVerdict; actions: LifecycleAction[] }> {
  const norm = deps.norms.forMonth(month);
  const verdict = await judgeOrganisationMonth(db, organisationId, month, norm, { platformOutage: options.platformOutage });
  return db.transaction().execute(async (trx) => {
    const organisation = await trx.selectFrom('organisations').select(['id', 'programme_id']).where('id', '=', organisationId).forUpdate().executeTakeFirst();
    if (!organisation) return { stored: false, verdict, actions: [] };
    const earlier = await monthRecords(trx, organisationId);
    if (earlier.some((r) => r.month === month)) return { stored: false, verdict, actions: [] };
    const records = [...earlier, { month, status: verdict.status }];
    const revokedIn = await lastRevocationMonth(trx, organisationId, norm.compliance.timezone);
    const streak = streakAt(records, month, revokedIn);
    await storeMonthlyResult(trx, organisationId, verdict, streak, options.now);
    const programme = await trx.selectFrom('programmes').select('certificate_approval_required').where('id', '=', organisation.programme_id).executeTakeFirstOrThrow();
    const live = await liveCertificate(trx, organisationId);
    const actions = decideLifecycle({
      month,
      status: verdict.status,
      streak,
      nonCompliantRun: nonCompliantRunAt(records, month),
      live: live ? { id: live.id, state: live.state, validUntil: live.valid_until } : null,
      rules: norm.certificate,
      approvalRequired: programme.certificate_approval_required,
    });
    await applyActions(
      { trx, organisationId, actorUserId: null, now: options.now },
      actions,
      { month, norm, verdict, programmeId: organisation.programme_id, key: options.key, deps },
    );
    return { stored: true, verdict, actions };
  });
}

/**
 * The monthly job: judges every month up to the one before `now` that a company still lacks
 * (from the month it joined, at most 24 months back), oldest first.
 */
export async function runMonthlyEvaluation(db: Kysely<DB>, deps: MonthlyDependencies, options: { now: Date; organisationIds?: string[] }): Promise<MonthlyRunSummary> {
  const timezone = deps.norms.latest().compliance.timezone;
  const lastMonth = addMonths(localMonth(options.now, timezone), -1);
  const earliest = addMonths(lastMonth, -(maxCatchUpMonths - 1));
  let query = db.selectFrom('organisations').select(['id', 'created_at']).orderBy('created_at').orderBy('id');
  if (options.organisationIds) query = query.where('id', 'in', options.organisationIds.length > 0 ? options.organisationIds : ['00000000-0000-0000-0000-000000000000']);
  const organisations = await query.execute();
  let key: SigningKey | null = null;
  const outageCache = new Map<string, Set<string>>();
  const summary: MonthlyRunSummary = { months: [], judged: 0, actions: [] };
  for (const organisation of organisations) {
    const joined = localMonth(organisation.created_at, timezone);
    const judgedUpTo = await lastJudgedMonth(db, organisation.id);
    let month = judgedUpTo ? addMonths(judgedUpTo, 1) : joined;
    if (month < earliest) month = earliest;
    for (; month <= lastMonth; month = addMonths(month, 1)) {
      let outage = outageCache.get(month);
      if (!outage) {
        outage = await platformOutageDays(db, month, deps.norms.forMonth(month).compliance.timezone);
        outageCache.set(month, outage);
      }
      // Signing needs the key, loaded (and published) outside the company's transaction.
      key ??= await deps.issuer.signingKey();
      const result = await evaluateAndApply(db, organisation.id, month, deps, { now: options.now, platformOutage: outage, key });
      if (!result.stored) continue;
      summary.judged++;
      if (!summary.months.includes(month)) summary.months.push(month);
      for (const action of result.actions) summary.actions.push({ organisationId: organisation.id, month, action: action.kind });
      deps.logger?.info({ organisationId: organisation.id, month, status: result.verdict.status, actions: result.actions.map((a) => a.kind) }, 'month judged');
    }
  }
  return summary;
}
