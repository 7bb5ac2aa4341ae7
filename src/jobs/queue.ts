// The job queue: a thin layer over pg-boss 12 that knows the product's queues. The same code runs
// in-process on the embedded PGlite (pg-boss shares the very instance Kysely uses, so statements
// from both are serialised by PGlite itself) and on PostgreSQL, where any number of
// `cybermonitor worker` processes share the queue.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { PgBoss, fromKysely, fromPglite, type ConstructorOptions, type JobWithMetadata, type Queue } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Logger } from '../logger.ts';

/** Every queue of the product, in one list. */
export const QUEUES = {
  scanDomain: 'scan.domain',
  monitoringDispatch: 'monitoring.dispatch',
  mailSend: 'mail.send',
  reportMonthly: 'report.monthly',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type ScanTrigger = 'schedule' | 'manual';

export interface ScanJobData {
  organisationId: string;
  assetId: string;
  trigger: ScanTrigger;
  /** The user who asked for a manual scan; null for the schedule. */
  requestedBy: string | null;
}

/** Every five minutes the schedule looks for organisations whose daily slot has come. */
export const DISPATCH_CRON = '*/5 * * * *';

/** The monthly evaluation runs at 00:30 on the first day of every month. */
export const MONTHLY_CRON = '30 0 1 * *';

type QueueDefinition = Omit<Queue, 'name'>;

function queueDefinitions(tuning: QueueTuning): Record<QueueName, QueueDefinition> {
  return {
    // `stately`: per singleton key at most one job waits and one runs, so "re-check now" pressed
    // twice queues one scan, not two.
    [QUEUES.scanDomain]: {
      policy: 'stately',
      retryLimit: 3,
      retryDelay: tuning.scanRetryDelaySeconds ?? 30,
      ...(tuning.scanRetryBackoff === false ? { retryBackoff: false } : { retryBackoff: true, retryDelayMax: 15 * 60 }),
      expireInSeconds: 10 * 60,
      deleteAfterSeconds: 7 * 24 * 3600,
    },
    // `exclusive`: one dispatch queued or running at a time; a slow run swallows the next tick.
    [QUEUES.monitoringDispatch]: { policy: 'exclusive', retryLimit: 1, retryDelay: 30, expireInSeconds: 5 * 60, deleteAfterSeconds: 24 * 3600 },
    [QUEUES.mailSend]: { policy: 'standard', retryLimit: 5, retryBackoff: true, retryDelay: 60, expireInSeconds: 5 * 60 },
    [QUEUES.reportMonthly]: { policy: 'standard', retryLimit: 3, retryBackoff: true, retryDelay: 300, expireInSeconds: 30 * 60 },
  };
}

export interface QueueTuning {
  /** How often an idle worker looks for jobs (pg-boss minimum 0.5 s). Default 2 s. */
  pollingIntervalSeconds?: number;
  scanRetryDelaySeconds?: number;
  scanRetryBackoff?: boolean;
  /** How long `stop()` waits for running jobs. Default 30 s. */
  stopTimeoutMs?: number;
}

export interface QueueOptions {
  logger: Logger;
  /** PostgreSQL schema of pg-boss's tables. Default `pgboss`. */
  schema?: string;
  /** Run pg-boss's maintenance and cron pass in this process. Default true. */
  background?: boolean;
  tuning?: QueueTuning;
}

/** A job as a handler sees it. */
export interface QueueJob<T> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** Aborted when the job expires or the worker stops. */
  signal: AbortSignal;
}

export type JobHandler<T> = (job: QueueJob<T>) => Promise<void>;

export interface WorkHandlers {
  [QUEUES.scanDomain]?: JobHandler<ScanJobData>;
  [QUEUES.monitoringDispatch]?: JobHandler<Record<string, never>>;
  [QUEUES.reportMonthly]?: JobHandler<Record<string, never>>;
}

export interface WorkOptions {
  /** Jobs of one queue this process runs at the same time. Default 1. */
  concurrency?: Partial<Record<QueueName, number>>;
}

export interface EnqueueOptions {
  /** Jobs with the same key are queued at most once and run at most once at a time. */
  singletonKey?: string;
  /** Enqueue inside this Kysely transaction: the job exists only if the transaction commits. */
  db?: Kysely<DB>;
}

export interface ScanJobStatus {
  id: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryCount: number;
  data: ScanJobData;
}

export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The id of the queued job, or null when a job with the same singleton key already waits. */
  enqueueScan(request: ScanJobData, options?: EnqueueOptions): Promise<string | null>;
  /** Several scans in one statement; returns the ids of the jobs queued. */
  enqueueScans(requests: Array<{ data: ScanJobData; singletonKey: string; id?: string }>, options?: { db?: Kysely<DB> }): Promise<string[]>;
  work(handlers: WorkHandlers, options?: WorkOptions): Promise<void>;
  /** Schedules the dispatch of the daily monitoring, every five minutes in `timezone`. */
  scheduleDispatch(timezone: string): Promise<void>;
  /** Schedules the monthly evaluation (src/jobs/monthly.ts) early on the first day of each month in `timezone`. */
  scheduleMonthly(timezone: string): Promise<void>;
  /** Asks for a monthly evaluation now (besides the schedule); it judges only months still unjudged. */
  requestMonthly(): Promise<string | null>;
  /** Asks for a dispatch run now (besides the schedule); null when one is already queued or running. */
  requestDispatch(): Promise<string | null>;
  getScanJob(id: string): Promise<ScanJobStatus | null>;
}

/** The default key of a manual scan: one waiting "re-check now" per domain is enough. */
export const manualScanKey = (assetId: string): string => `${assetId}:manual`;

function bossOptions(database: Database, options: QueueOptions): ConstructorOptions {
  const background = options.background ?? true;
  const common: ConstructorOptions = {
    schema: options.schema ?? 'pgboss',
    supervise: background,
    schedule: background,
    instanceName: 'cybermonitor',
  };
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('The embedded database has no PGlite instance to share');
    return { ...common, db: fromPglite(database.pglite), backend: 'pglite' };
  }
  if (!database.connectionString) throw new Error('A PostgreSQL database needs a connection string for the job queue');
  return { ...common, connectionString: database.connectionString, max: 5, application_name: 'cybermonitor-jobs' };
}

export function createQueue(database: Database, options: QueueOptions): JobQueue {
  const { logger } = options;
  const tuning = options.tuning ?? {};
  const boss = new PgBoss(bossOptions(database, options));
  // Without a listener an 'error' event would throw; pg-boss reports and carries on.
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning) => logger.warn({ warning }, 'job queue warning'));
  const definitions = queueDefinitions(tuning);
  let started = false;

  async function ensureQueues() {
    for (const [name, definition] of Object.entries(definitions)) {
      const existing = await boss.getQueue(name);
      if (!existing) {
        await boss.createQueue(name, definition);
      } else {
        // Settings may change between releases; policy cannot, and is left as created.
        const { policy: _policy, partition: _partition, ...settings } = definition;
        await boss.updateQueue(name, settings);
      }
    }
  }

  function toQueueJob<T>(job: JobWithMetadata<T>): QueueJob<T> {
    return { id: job.id, name: job.name, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal };
  }

  async function register<T>(name: QueueName, handler: JobHandler<T>, concurrency: number) {
    await boss.work(
      name,
      {
        batchSize: 1,
        includeMetadata: true,
        localConcurrency: concurrency,
        pollingIntervalSeconds: tuning.pollingIntervalSeconds ?? 2,
      },
      async (jobs: JobWithMetadata<T>[]) => {
        for (const job of jobs) {
          try {
            await handler(toQueueJob(job));
          } catch (error) {
            const final = job.retryCount >= job.retryLimit;
            logger.warn({ err: error, queue: name, jobId: job.id, attempt: job.retryCount + 1, final }, 'job failed');
            throw error;
          }
        }
      },
    );
  }

  return {
    async start() {
      if (started) return;
      await boss.start();
      started = true;
      try {
        await ensureQueues();
      } catch (error) {
        started = false;
        await boss.stop({ graceful: false, close: true });
        throw error;
      }
    },

    async stop() {
      if (!started) return;
      started = false;
      // On PGlite pg-boss does not own the database and leaves it open for the caller to close.
      await boss.stop({ graceful: true, close: true, timeout: tuning.stopTimeoutMs ?? 30_000 });
    },

    async enqueueScan(request, enqueueOptions = {}) {
      const singletonKey =
        enqueueOptions.singletonKey ?? (request.trigger === 'manual' ? manualScanKey(request.assetId) : randomUUID());
      return boss.send(QUEUES.scanDomain, { ...request }, {
        singletonKey,
        ...(enqueueOptions.db ? { db: fromKysely(enqueueOptions.db) } : {}),
      });
    },

    async enqueueScans(requests, enqueueOptions = {}) {
      if (requests.length === 0) return [];
      const ids = await boss.insert(
        QUEUES.scanDomain,
        requests.map((request) => ({ id: request.id, data: { ...request.data }, singletonKey: request.singletonKey })),
        { returnId: true, ...(enqueueOptions.db ? { db: fromKysely(enqueueOptions.db) } : {}) },
      );
      return ids ?? [];
    },

    async work(handlers, workOptions = {}) {
      for (const [name, handler] of Object.entries(handlers) as Array<[QueueName, JobHandler<unknown> | undefined]>) {
        if (!handler) continue;
        await register(name, handler, workOptions.concurrency?.[name] ?? 1);
      }
    },

    async scheduleDispatch(timezone) {
      await boss.schedule(QUEUES.monitoringDispatch, DISPATCH_CRON, {}, { tz: timezone });
    },

    async scheduleMonthly(timezone) {
      await boss.schedule(QUEUES.reportMonthly, MONTHLY_CRON, {}, { tz: timezone });
    },

    async requestMonthly() {
      return boss.send(QUEUES.reportMonthly, {});
    },

    async requestDispatch() {
      return boss.send(QUEUES.monitoringDispatch, {});
    },

    async getScanJob(id) {
      const [job] = await boss.findJobs<ScanJobData>(QUEUES.scanDomain, { id });
      if (!job) return null;
      return { id: job.id, state: job.state, retryCount: job.retryCount, data: job.data };
    },
  };
}
