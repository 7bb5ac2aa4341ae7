// `cybermonitor worker`: runs scan jobs and the daily schedule against a shared PostgreSQL, so that
// the work spreads over as many worker processes (and machines) as needed. The embedded database
// lives inside one process; there `serve` runs the worker itself.
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { startWorker } from '../../jobs/scan-job.ts';
import { createLogger } from '../../logger.ts';
import { setScannerContact } from '../../net/http-client.ts';
import { scanDomain } from '../../scan/scan-domain.ts';

export const EMBEDDED_DATABASE_EXIT_CODE = 2;

export function register(program: Command): void {
  program
    .command('worker')
    .description('run scan jobs and the daily schedule against PostgreSQL (DATABASE_URL); several may run at once')
    .action(async () => {
      const config = loadConfig();
      if (!config.databaseUrl) {
        process.stderr.write(
          'cybermonitor worker needs a shared PostgreSQL database: set DATABASE_URL.\n' +
            'With the embedded database (no DATABASE_URL) `cybermonitor serve` runs the worker in its own process.\n',
        );
        process.exitCode = EMBEDDED_DATABASE_EXIT_CODE;
        return;
      }
      const logger = createLogger(config.logLevel);
      const database = await openDatabase({ databaseUrl: config.databaseUrl });
      let worker;
      try {
        const applied = await migrate(database.db);
        if (applied.length > 0) logger.info({ applied }, 'database migrated');
        setScannerContact(`${config.publicUrl}/scanner`);
        worker = await startWorker({ database, config, logger, scanner: scanDomain });
      } catch (error) {
        await database.close();
        throw error;
      }
      const running = worker;
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'worker stopping: finishing running jobs');
        running
          .stop()
          .then(() => database.close())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              logger.error({ err: error }, 'worker shutdown failed');
              process.exit(1);
            },
          );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
