// `cybermonitor serve` (what `npm start` runs): migrates, starts the web service and, with the
// embedded database or RUN_WORKER, the job worker in the same process. On a fresh database it
// prints a one-time setup link for the first platform admin; there is no default password.
import type { Command } from 'commander';
import { issueSetupToken, needsSetup } from '../../auth/setup.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { buildApp, type ScanRequester } from '../../http/app.ts';
import { createQueue, manualScanKey, type JobQueue } from '../../jobs/queue.ts';
import { startWorker, type RunningWorker } from '../../jobs/scan-job.ts';
import { createLogger } from '../../logger.ts';
import { createMailer } from '../../mail/mailer.ts';
import { createOwnershipProver } from '../../ownership/prove-domain.ts';
import { setScannerContact } from '../../net/http-client.ts';
import { scanDomain } from '../../scan/scan-domain.ts';

export async function serve(): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(database.db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  // PGlite lives in this process only, so its jobs must run here too.
  const runWorker = database.kind === 'pglite' || config.runWorkerInProcess;
  let worker: RunningWorker | null = null;
  let queue: JobQueue;
  if (runWorker) {
    setScannerContact(`${config.publicUrl}/scanner`);
    worker = await startWorker({ database, config, logger, scanner: scanDomain });
    queue = worker.queue;
  } else {
    queue = createQueue(database, { logger, background: false });
    await queue.start();
  }
  const requestScan: ScanRequester = ({ organisationId, assetId, requestedBy }) =>
    queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy }, { singletonKey: manualScanKey(assetId) });

  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const proveOwnership = createOwnershipProver({ resolver: config.dnsResolver, allowPrivate: config.allowPrivateTargets });
  const app = await buildApp({ database, config, logger, mailer, requestScan, proveOwnership });
  await app.listen({ port: config.port, host: config.host });
  const where = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  process.stdout.write(`Cybermonitor is running on ${config.publicUrl} — database: ${where}; worker: ${runWorker ? 'in this process' : 'separate (cybermonitor worker)'}\n`);

  if (await needsSetup(database.db)) {
    const token = await issueSetupToken(database.db);
    process.stdout.write(
      `\nFirst start: create the platform administrator with this one-time link (valid 24 hours):\n  ${config.publicUrl}/setup?token=${token}\n\n`,
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      if (worker) await worker.stop();
      else await queue.stop();
      mailer.close();
      await database.close();
    })());
  return { url: config.publicUrl, stop };
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web service (and, with the embedded database, the job worker)')
    .action(async () => {
      const running = await serve();
      const shutdown = () => {
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
