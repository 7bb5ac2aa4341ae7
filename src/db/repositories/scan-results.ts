// Storing what a scan found. System code: called by the job worker on behalf of the schedule or a
// request that was authorised when it was queued, so it is not scoped by an actor. Never call it
// from a request handler.
//
// One scan is stored in one transaction: the scans row, its evidence, the current state per check
// and the history. The queue job id makes it idempotent: a retried job (or a duplicate delivery)
// finds its completed scan and stores nothing.
import type { Kysely, Transaction } from 'kysely';
import type { CheckResult } from '../../checks/types.ts';
import { AppError } from '../../errors.ts';
import type { DomainScan } from '../../scan/types.ts';
import type { CheckResultRow, DB, ResultStatus } from '../schema.ts';

export type ScanTrigger = 'schedule' | 'manual';

export interface RecordScanInput {
  jobId: string;
  organisationId: string;
  assetId: string;
  trigger: ScanTrigger;
  scan: DomainScan;
}

export interface RecordScanOutcome {
  scanId: string;
  /** false when this job's scan was stored before (a retry or a duplicate delivery). */
  stored: boolean;
}

const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;

function parseInstant(value: string, what: string): Date {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new Error(`Scan result has an invalid ${what}: ${JSON.stringify(value)}`);
  return instant;
}

function assertUnique(values: string[], what: string) {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`Scan result has the ${what} ${JSON.stringify(value)} twice`);
    seen.add(value);
  }
}

/** The asset, locked against deletion until the transaction ends; not_found when it is gone or not the organisation's. */
async function lockAsset(trx: Transaction<DB>, organisationId: string, assetId: string) {
  const asset = await trx
    .selectFrom('assets')
    .select(['id', 'organisation_id'])
    .where('id', '=', assetId)
    .where('organisation_id', '=', organisationId)
    .forKeyShare()
    .executeTakeFirst();
  if (!asset) throw new AppError('not_found', 'errors.not_found');
}

interface NextState {
  previous_status: ResultStatus | null;
  first_seen_at: Date;
  resolved_at: Date | null;
}

/** How the current state of one check moves when a new result is observed. */
export function nextCheckState(existing: Pick<CheckResultRow, 'status' | 'previous_status' | 'first_seen_at' | 'resolved_at'> | undefined, status: ResultStatus, observedAt: Date): NextState {
  if (!existing) return { previous_status: null, first_seen_at: observedAt, resolved_at: null };
  const changed = existing.status !== status;
  let resolvedAt: Date | null;
  if (status !== 'pass') resolvedAt = null;
  else if (existing.status !== 'pass') resolvedAt = observedAt;
  else resolvedAt = existing.resolved_at;
  return {
    previous_status: changed ? existing.status : existing.previous_status,
    first_seen_at: existing.first_seen_at,
    resolved_at: resolvedAt,
  };
}

async function storeResults(trx: Transaction<DB>, input: RecordScanInput, scanId: string, observedAt: Date, results: CheckResult[]) {
  if (results.length === 0) return;
  const existingRows = await trx
    .selectFrom('check_results')
    .selectAll()
    .where('organisation_id', '=', input.organisationId)
    .where('asset_id', '=', input.assetId)
    .where('check_id', 'in', results.map((r) => r.checkId))
    .forUpdate()
    .execute();
  const existing = new Map(existingRows.map((row) => [row.check_id, row]));
  for (const result of results) {
    const next = nextCheckState(existing.get(result.checkId), result.status, observedAt);
    const values = {
      check_version: result.checkVersion,
      status: result.status,
      severity: result.severity,
      summary_key: result.summaryKey,
      summary_params: JSON.stringify(result.summaryParams),
      details: JSON.stringify(result.details),
      previous_status: next.previous_status,
      last_seen_at: observedAt,
      resolved_at: next.resolved_at,
      last_scan_id: scanId,
    };
    await trx
      .insertInto('check_results')
      .values({
        organisation_id: input.organisationId,
        asset_id: input.assetId,
        check_id: result.checkId,
        first_seen_at: next.first_seen_at,
        ...values,
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'asset_id', 'check_id']).doUpdateSet(values))
      .execute();
  }
  await trx
    .insertInto('check_result_history')
    .values(
      results.map((result) => ({
        organisation_id: input.organisationId,
        asset_id: input.assetId,
        check_id: result.checkId,
        check_version: result.checkVersion,
        scan_id: scanId,
        status: result.status,
        severity: result.severity,
        summary_key: result.summaryKey,
        summary_params: JSON.stringify(result.summaryParams),
        observed_at: observedAt,
      })),
    )
    .execute();
}

/**
 * Stores a completed scan once per job. Throws AppError not_found when the asset no longer exists
 * (deleted while the scan ran): there is nothing to store it for.
 */
export async function recordScan(db: Kysely<DB>, input: RecordScanInput): Promise<RecordScanOutcome> {
  const { scan } = input;
  const startedAt = parseInstant(scan.startedAt, 'start time');
  const finishedAt = new Date(startedAt.getTime() + Math.max(0, scan.durationMs));
  const evidence = scan.evidence.map((item) => ({ ...item, gatheredAt: parseInstant(item.gatheredAt, 'evidence time') }));
  assertUnique(scan.evidence.map((e) => e.kind), 'evidence kind');
  assertUnique(scan.results.map((r) => r.checkId), 'check');

  const findStored = (executor: Kysely<DB>) =>
    executor.selectFrom('scans').select(['id', 'status']).where('job_id', '=', input.jobId).executeTakeFirst();

  try {
    return await db.transaction().execute(async (trx) => {
      await lockAsset(trx, input.organisationId, input.assetId);
      const previous = await trx.selectFrom('scans').select(['id', 'status']).where('job_id', '=', input.jobId).forUpdate().executeTakeFirst();
      if (previous?.status === 'completed') return { scanId: previous.id, stored: false };
      const scanValues = {
        organisation_id: input.organisationId,
        asset_id: input.assetId,
        trigger: input.trigger,
        status: 'completed' as const,
        started_at: startedAt,
        finished_at: finishedAt,
        error: null,
      };
      // A scan that was recorded as failed (and then retried by hand) becomes the completed scan.
      const scanId = previous
        ? (await trx.updateTable('scans').set(scanValues).where('id', '=', previous.id).returning('id').executeTakeFirstOrThrow()).id
        : (await trx.insertInto('scans').values({ ...scanValues, job_id: input.jobId }).returning('id').executeTakeFirstOrThrow()).id;
      if (evidence.length > 0) {
        await trx
          .insertInto('evidence')
          .values(evidence.map((item) => ({ scan_id: scanId, kind: item.kind, data: JSON.stringify(item.data ?? null), gathered_at: item.gatheredAt })))
          .execute();
      }
      await storeResults(trx, input, scanId, startedAt, scan.results);
      return { scanId, stored: true };
    });
  } catch (error) {
    // A concurrent delivery of the same job won the race on scans.job_id.
    if (isUniqueViolation(error)) {
      const stored = await findStored(db);
      if (stored) return { scanId: stored.id, stored: false };
    }
    throw error;
  }
}

export interface RecordScanFailureInput {
  jobId: string;
  organisationId: string;
  assetId: string;
  trigger: ScanTrigger;
  /** A short, log-safe description (an error code or message key), never a stack. */
  error: string;
  startedAt?: Date;
}

/**
 * Records that the scan of this job failed for good. Does nothing when the job already has a
 * scan (stored earlier) or the asset is gone. Returns the scan id, or null when nothing was written.
 */
export async function recordScanFailure(db: Kysely<DB>, input: RecordScanFailureInput): Promise<string | null> {
  const now = new Date();
  const row = await db
    .insertInto('scans')
    .columns(['organisation_id', 'asset_id', 'job_id', 'trigger', 'status', 'started_at', 'finished_at', 'error'])
    .expression((eb) =>
      eb
        .selectFrom('assets')
        .select([
          'assets.organisation_id',
          'assets.id',
          eb.val(input.jobId).as('job_id'),
          eb.val(input.trigger).as('trigger'),
          eb.val('failed').as('status'),
          eb.val(input.startedAt ?? now).as('started_at'),
          eb.val(now).as('finished_at'),
          eb.val(input.error.slice(0, 500)).as('error'),
        ])
        .where('assets.id', '=', input.assetId)
        .where('assets.organisation_id', '=', input.organisationId),
    )
    .onConflict((oc) => oc.column('job_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
