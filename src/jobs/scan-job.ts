// The one job definition behind both "re-check now" and the daily schedule: scan one domain asset
// and store what was found. Infrastructure errors are thrown so that the queue retries with
// backoff; a refusal (AppError, e.g. a private target) will not get better by retrying and is
// recorded as a failed scan at once.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { mayProbeActively } from '../db/repositories/assets.ts';
import { recordScan, recordScanFailure } from '../db/repositories/scan-results.ts';
import type { DB } from '../db/schema.ts';
import { isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DomainScanner, ScanOptions } from '../scan/types.ts';
import { QUEUES, createQueue, type JobQueue, type QueueTuning } from './queue.ts';
import { dispatchDueScans } from './scheduler.ts';
import { runMonthlyEvaluation } from './monthly.ts';
import { programmeNorms } from '../norm/load.ts';
import { createIssuer } from '../certificates/issuer.ts';
import { keySettings } from '../certificates/keys.ts';

const scanJobDataSchema = z.object({
  organisationId: z.uuid(),
  assetId: z.uuid(),
  trigger: z.enum(['schedule', 'manual']),
  requestedBy: z.uuid().nullable().optional(),
});

export interface ScanJobInput {
  id: string;
  data: unknown;
  /** 0 on the first attempt; with retryLimit it tells whether this is the last attempt. */
  retryCount?: number;
  retryLimit?: number;
}

export interface ScanJobDependencies {
  scanner: DomainScanner;
  scanOptions: ScanOptions;
  logger?: Logger;
}

export type ScanJobOutcome =
  | 'stored'
  /** A previous attempt of this job stored the scan already. */
  | 'already_stored'
  /** The asset was deleted (or is no longer a domain) before the scan could be stored. */
  | 'asset_gone'
  /** The scanner refused the target; recorded as a failed scan, not retried. */
  | 'refused'
  /** The job's data is not a scan request; nothing to do. */
  | 'invalid';

const describeError = (error: unknown): string =>
  isAppError(error) ? error.messageKey : error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function handleScanJob(db: Kysely<DB>, job: ScanJobInput, dependencies: ScanJobDependencies): Promise<ScanJobOutcome> {
  const { logger } = dependencies;
  const parsed = scanJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    logger?.error({ jobId: job.id }, 'scan job without a valid scan request; dropped');
    return 'invalid';
  }
  const request = { ...parsed.data, jobId: job.id };

  const earlier = await db.selectFrom('scans').select('status').where('job_id', '=', job.id).executeTakeFirst();
  if (earlier?.status === 'completed') return 'already_stored';

  const asset = await db
    .selectFrom('assets')
    .select(['id', 'value'])
    .where('id', '=', request.assetId)
    .where('organisation_id', '=', request.organisationId)
    .where('kind', '=', 'domain')
    .executeTakeFirst();
  if (!asset) return 'asset_gone';

  const startedAt = new Date();
  try {
    const activeProbes = await mayProbeActively(db, asset.id);
    // The organisation's other domains under this one are its declared subdomains (checked
    // for dangling CNAMEs).
    const subdomains = (
      await db
        .selectFrom('assets')
        .select('value')
        .where('organisation_id', '=', request.organisationId)
        .where('kind', '=', 'domain')
        .where('value', 'like', `%.${asset.value}`)
        .limit(100)
        .execute()
    ).map((row) => row.value);
    const scanOptions = dependencies.scanOptions;
    const dnsSources = subdomains.length > 0 ? { ...scanOptions.dnsSources, subdomains } : scanOptions.dnsSources;
    const scan = await dependencies.scanner(asset.value, { ...scanOptions, activeProbes, ...(dnsSources ? { dnsSources } : {}) });
    const outcome = await recordScan(db, { ...request, scan });
    return outcome.stored ? 'stored' : 'already_stored';
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return 'asset_gone';
    const permanent = isAppError(error);
    const lastAttempt = job.retryLimit !== undefined && (job.retryCount ?? 0) >= job.retryLimit;
    if (permanent || lastAttempt) {
      await recordScanFailure(db, { ...request, error: describeError(error), startedAt }).catch((recordError: unknown) =>
        logger?.error({ err: recordError, jobId: job.id }, 'could not record the failed scan'),
      );
    }
    if (permanent) {
      logger?.info({ jobId: job.id, assetId: request.assetId, reason: describeError(error) }, 'scan refused');
      return 'refused';
    }
    throw error;
  }
}

export interface WorkerOptions {
  database: Database;
  config: Pick<Config, 'dnsResolver' | 'allowPrivateTargets' | 'scheduleTimezone' | 'scanConcurrency'> & Partial<Pick<Config, 'dnsSources'>> &
    // With both, the worker also runs the monthly evaluation and issues certificates (issue 5).
    Partial<Pick<Config, 'publicUrl' | 'dataDir'>>;
  logger: Logger;
  scanner: DomainScanner;
  /** Merged over the options taken from config (tests add a CA or a timeout here). */
  scanOptions?: Partial<ScanOptions>;
  tuning?: QueueTuning;
}

export interface RunningWorker {
  /** The queue this worker serves; also the place to enqueue manual scans. */
  queue: JobQueue;
  stop(): Promise<void>;
}

/** Starts the queue, the scan and dispatch workers, and the five-minute dispatch schedule. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { database, config, logger, scanner } = options;
  const queue = createQueue(database, { logger, ...(options.tuning ? { tuning: options.tuning } : {}) });
  await queue.start();
  const scanOptions: ScanOptions = {
    allowPrivate: config.allowPrivateTargets,
    ...(config.dnsResolver ? { resolver: config.dnsResolver } : {}),
    ...(config.dnsSources ? { dnsSources: config.dnsSources } : {}),
    ...options.scanOptions,
  };
  const monthly =
    config.publicUrl && config.dataDir
      ? { norms: programmeNorms(), issuer: createIssuer(database.db, { publicUrl: config.publicUrl, keys: keySettings(config.dataDir) }), logger }
      : null;
  try {
    await queue.work(
      {
        [QUEUES.scanDomain]: async (job) => {
          const outcome = await handleScanJob(database.db, job, { scanner, scanOptions, logger });
          logger.info({ jobId: job.id, assetId: job.data.assetId, trigger: job.data.trigger, outcome }, 'scan job done');
        },
        [QUEUES.monitoringDispatch]: async () => {
          const result = await dispatchDueScans(queue, database.db, { now: new Date(), timezone: config.scheduleTimezone });
          if (result.queued > 0) logger.info({ queued: result.queued, since: result.since }, 'daily scans dispatched');
        },
        ...(monthly ? { [QUEUES.reportMonthly]: async () => void (await runMonthlyEvaluation(database.db, monthly, { now: new Date() })) } : {}),
      },
      { concurrency: { [QUEUES.scanDomain]: config.scanConcurrency } },
    );
    await queue.scheduleDispatch(config.scheduleTimezone);
    if (monthly) await queue.scheduleMonthly(config.scheduleTimezone);
  } catch (error) {
    await queue.stop();
    throw error;
  }
  logger.info({ database: database.kind, scanConcurrency: config.scanConcurrency, timezone: config.scheduleTimezone }, 'worker started');
  return { queue, stop: () => queue.stop() };
}
