// The monthly evaluation runs in the worker: with a public URL and a data directory startWorker
// serves the report.monthly queue, and a requested run judges the months a company lacks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startWorker, type RunningWorker } from '../../src/jobs/scan-job.ts';
import { silentLogger } from '../../src/logger.ts';
import { addMonths, localDate, localMonth } from '../../src/norm/calendar.ts';
import { createCompany, createProgramme, TIMEZONE, writeDailyResults } from '../certificates/simulation.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase } from './seed.ts';

describeEachDatabase('monthly evaluation in the worker', (kind) => {
  let database: TestDatabase;
  let worker: RunningWorker;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-monthly-worker-'));
    database = await createTestDatabase(kind);
    worker = await startWorker({
      database,
      config: { allowPrivateTargets: true, dnsResolver: undefined, scheduleTimezone: TIMEZONE, scanConcurrency: 1, publicUrl: 'https://cybermonitor.test', dataDir },
      logger: silentLogger(),
      scanner: async () => {
        throw new Error('no scans in this test');
      },
      tuning: { pollingIntervalSeconds: 0.5, stopTimeoutMs: 5000 },
    });
  });
  after(async () => {
    await worker?.stop();
    await closeTestDatabase(database);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a requested run judges last month from the stored results', async () => {
    const now = new Date();
    const lastMonth = addMonths(localMonth(now, TIMEZONE), -1);
    const programme = await createProgramme(database.db);
    const company = await createCompany(database.db, programme, 'Drukkerij Gamma', { joined: `${lastMonth}-01` });
    await writeDailyResults(database.db, company, `${lastMonth}-01`, localDate(now, TIMEZONE), () => ({ 'tls.certificate': 'pass' }));
    assert.ok(await worker.queue.requestMonthly());
    const deadline = Date.now() + 20_000;
    let rows: Array<{ month: string; status: string; norm_version: string }> = [];
    while (Date.now() < deadline) {
      rows = await database.db.selectFrom('monthly_results').select(['month', 'status', 'norm_version']).where('organisation_id', '=', company.id).execute();
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(rows.map((r) => [r.month, r.status]), [[lastMonth, 'compliant']]);
    const schedules = await database.db.selectFrom('pgboss.schedule' as never).select('name' as never).execute();
    assert.ok((schedules as Array<{ name: string }>).some((s) => s.name === 'report.monthly'), JSON.stringify(schedules));
  });
});
