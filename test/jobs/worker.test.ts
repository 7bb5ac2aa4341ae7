// End to end: the worker (real pg-boss) runs the real scanner against the fixture internet and
// stores the results; a job that dies half-way is retried and stored exactly once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { silentLogger } from '../../src/logger.ts';
import type { ScanJobStatus } from '../../src/jobs/queue.ts';
import { handleScanJob, startWorker, type RunningWorker } from '../../src/jobs/scan-job.ts';
import { localMinuteOf } from '../../src/jobs/scheduler.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import type { DomainScanner } from '../../src/scan/types.ts';
import { startFixtureInternet, type FixtureInternet } from '../fixtures/fixture-internet.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase, seedOrganisation, seedProgramme } from './seed.ts';

let net: FixtureInternet;
before(async () => {
  net = await startFixtureInternet();
});
after(async () => {
  await net?.close();
});

/** The real scanner, trusting the fixture internet's test CA. */
const fixtureScanner: DomainScanner = (domain, options) => scanDomain(domain, { ...options, timeoutMs: 1500, extraCa: [net.caPem] });

const rowCount = async (database: TestDatabase, query: ReturnType<typeof sql<{ n: string }>>) =>
  Number((await query.execute(database.db)).rows[0]?.n);

describeEachDatabase('scan worker', (kind) => {
  let database: TestDatabase;
  let worker: RunningWorker;
  let programmeId: string;
  /** Domains whose next scan dies after scanning, before storing (the first attempt only). */
  const dieAfterScanning = new Set<string>();
  const scansByDomain = new Map<string, number>();

  const scanner: DomainScanner = async (domain, options) => {
    const scan = await fixtureScanner(domain, options);
    scansByDomain.set(domain, (scansByDomain.get(domain) ?? 0) + 1);
    if (dieAfterScanning.delete(domain)) throw new Error('worker died between scanning and storing');
    return scan;
  };

  before(async () => {
    database = await createTestDatabase(kind);
    programmeId = await seedProgramme(database.db);
    worker = await startWorker({
      database,
      config: { dnsResolver: net.resolver, allowPrivateTargets: true, scheduleTimezone: 'Europe/Amsterdam', scanConcurrency: 4 },
      logger: silentLogger(),
      scanner,
      tuning: { pollingIntervalSeconds: 0.5, scanRetryDelaySeconds: 0, scanRetryBackoff: false, stopTimeoutMs: 5000 },
    });
  });
  after(async () => {
    await worker?.stop();
    await closeTestDatabase(database);
  });

  async function settled(jobId: string, timeoutMs = 20_000): Promise<ScanJobStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await worker.queue.getScanJob(jobId);
      if (job && (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled')) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish: ${job?.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('scans a domain on request and stores its results', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: [net.sites.valid.domain] });
    const assetId = assetIds[0] as string;
    const requestedBy = null;
    const jobId = await worker.queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy });
    assert.ok(jobId);
    assert.equal((await settled(jobId)).state, 'completed');

    const scan = await database.db.selectFrom('scans').selectAll().where('job_id', '=', jobId).executeTakeFirstOrThrow();
    assert.equal(scan.status, 'completed');
    assert.equal(scan.trigger, 'manual');
    assert.equal(scan.asset_id, assetId);
    const results = await database.db.selectFrom('check_results').selectAll().where('asset_id', '=', assetId).execute();
    const certificate = results.find((r) => r.check_id === 'tls.certificate');
    assert.ok(certificate, `results: ${results.map((r) => r.check_id).join(', ')}`);
    assert.equal(certificate.status, 'pass');
    assert.equal(certificate.last_scan_id, scan.id);
    const evidence = await database.db.selectFrom('evidence').select('kind').where('scan_id', '=', scan.id).execute();
    assert.ok(evidence.length > 0);
  });

  it('the schedule dispatch queues the daily scan of a due organisation and the worker runs it', async () => {
    const slot = localMinuteOf(new Date(Date.now() - 2 * 60_000), 'Europe/Amsterdam');
    const { assetIds } = await seedOrganisation(database.db, programmeId, { scheduleMinute: slot.minute, domains: [net.sites.month.domain] });
    const assetId = assetIds[0] as string;
    assert.ok(await worker.queue.requestDispatch());
    const deadline = Date.now() + 20_000;
    for (;;) {
      const scan = await database.db.selectFrom('scans').selectAll().where('asset_id', '=', assetId).executeTakeFirst();
      if (scan?.status === 'completed') {
        assert.equal(scan.trigger, 'schedule');
        break;
      }
      if (Date.now() > deadline) throw new Error('the scheduled scan did not run');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const dispatched = await database.db.selectFrom('scheduled_scan_dispatches').selectAll().where('asset_id', '=', assetId).execute();
    assert.deepEqual(dispatched.map((d) => d.local_date), [slot.date]);
  });

  it('retries a job that died after scanning and stores its results exactly once', async () => {
    const domain = net.sites.expired.domain;
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: [domain] });
    const assetId = assetIds[0] as string;
    dieAfterScanning.add(domain);
    const jobId = await worker.queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy: null });
    assert.ok(jobId);
    const job = await settled(jobId);
    assert.equal(job.state, 'completed');
    assert.equal(job.retryCount, 1, 'completed on the second attempt');
    assert.equal(scansByDomain.get(domain), 2);

    assert.equal(await rowCount(database, sql`SELECT count(*) AS n FROM scans WHERE asset_id = ${assetId}`), 1);
    const resultCount = await rowCount(database, sql`SELECT count(*) AS n FROM check_results WHERE asset_id = ${assetId}`);
    assert.ok(resultCount > 0);
    assert.equal(await rowCount(database, sql`SELECT count(*) AS n FROM check_result_history WHERE asset_id = ${assetId}`), resultCount);
    const certificate = await database.db
      .selectFrom('check_results')
      .select('status')
      .where('asset_id', '=', assetId)
      .where('check_id', '=', 'tls.certificate')
      .executeTakeFirstOrThrow();
    assert.equal(certificate.status, 'fail');
  });

  it('runs many scans at once while the queue keeps polling the same database', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, {
      domains: Object.values(net.sites).map((site) => site.domain),
    });
    const jobIds = await Promise.all(
      assetIds.map((assetId) => worker.queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy: null })),
    );
    const jobs = await Promise.all(jobIds.map((id) => settled(id as string, 25_000)));
    assert.deepEqual(jobs.map((j) => j.state), jobIds.map(() => 'completed'));
    assert.equal(
      await rowCount(database, sql`SELECT count(*) AS n FROM scans WHERE organisation_id = ${organisationId} AND status = 'completed'`),
      assetIds.length,
    );
  });

  it('a retry of a job whose scan was stored does not scan again', async () => {
    const domain = net.sites.soon.domain;
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: [domain] });
    const job = { id: randomUUID(), data: { organisationId, assetId: assetIds[0], trigger: 'schedule', requestedBy: null } };
    const dependencies = { scanner, scanOptions: { allowPrivate: true, resolver: net.resolver } };
    assert.equal(await handleScanJob(database.db, job, dependencies), 'stored');
    const scans = scansByDomain.get(domain);
    assert.equal(await handleScanJob(database.db, { ...job, retryCount: 1, retryLimit: 3 }, dependencies), 'already_stored');
    assert.equal(scansByDomain.get(domain), scans);
  });

  it('completes silently for a deleted asset and records a refused target without retrying', async () => {
    const dependencies = { scanner, scanOptions: { allowPrivate: true, resolver: net.resolver } };
    const gone = await seedOrganisation(database.db, programmeId, { domains: [net.sites.month.domain] });
    await database.db.deleteFrom('assets').where('id', '=', gone.assetIds[0] as string).execute();
    const goneJob = { id: randomUUID(), data: { organisationId: gone.organisationId, assetId: gone.assetIds[0], trigger: 'schedule' } };
    assert.equal(await handleScanJob(database.db, goneJob, dependencies), 'asset_gone');

    const bad = await seedOrganisation(database.db, programmeId, { domains: ['http://not a domain/'] });
    const badJob = { id: randomUUID(), data: { organisationId: bad.organisationId, assetId: bad.assetIds[0], trigger: 'manual', requestedBy: null } };
    assert.equal(await handleScanJob(database.db, badJob, dependencies), 'refused');
    const failed = await database.db.selectFrom('scans').selectAll().where('job_id', '=', badJob.id).executeTakeFirstOrThrow();
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /^[a-z_]+\.[a-z_.]+$/, 'a message key, not prose');

    assert.equal(await handleScanJob(database.db, { id: randomUUID(), data: { assetId: 'x' } }, dependencies), 'invalid');
  });

  it('records the failure when the last attempt fails, and lets the queue see the error', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: [net.sites.valid.domain] });
    const broken: DomainScanner = async () => {
      throw new Error('database of evidence unreachable');
    };
    const job = { id: randomUUID(), data: { organisationId, assetId: assetIds[0], trigger: 'schedule', requestedBy: null } };
    const dependencies = { scanner: broken, scanOptions: { allowPrivate: true } };
    await assert.rejects(handleScanJob(database.db, { ...job, retryCount: 0, retryLimit: 3 }, dependencies), /unreachable/);
    assert.equal(await database.db.selectFrom('scans').select('id').where('job_id', '=', job.id).executeTakeFirst(), undefined);
    await assert.rejects(handleScanJob(database.db, { ...job, retryCount: 3, retryLimit: 3 }, dependencies), /unreachable/);
    const failed = await database.db.selectFrom('scans').selectAll().where('job_id', '=', job.id).executeTakeFirstOrThrow();
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /unreachable/);
  });
});
