import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import { silentLogger } from '../../src/logger.ts';
import { createQueue, type JobQueue } from '../../src/jobs/queue.ts';
import { dispatchDueScans, scheduledScanKey } from '../../src/jobs/scheduler.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase, seedOrganisation, seedProgramme } from './seed.ts';

const TZ = 'Europe/Amsterdam';

describeEachDatabase('dispatchDueScans', (kind) => {
  let database: TestDatabase;
  let queue: JobQueue;
  let programmeId: string;

  before(async () => {
    database = await createTestDatabase(kind);
    programmeId = await seedProgramme(database.db);
    // No worker runs here: the jobs stay queued so the test can look at them.
    queue = createQueue(database, { logger: silentLogger(), background: false, tuning: { stopTimeoutMs: 1000 } });
    await queue.start();
  });
  after(async () => {
    await queue?.stop();
    await closeTestDatabase(database);
  });
  beforeEach(async () => {
    await sql`DELETE FROM schedule_dispatch_state`.execute(database.db);
  });

  const dispatchesOf = (assetIds: string[]) =>
    database.db.selectFrom('scheduled_scan_dispatches').selectAll().where('asset_id', 'in', assetIds).orderBy('local_date').execute();

  it('queues one scan job per domain of every due organisation, and nothing more when run again', async () => {
    const due = await seedOrganisation(database.db, programmeId, { scheduleMinute: 600, domains: ['a.example', 'b.example'] });
    const ipOnly = await seedOrganisation(database.db, programmeId, {
      scheduleMinute: 601,
      otherAssets: [{ kind: 'ip_address', value: '192.0.2.10' }],
    });
    const later = await seedOrganisation(database.db, programmeId, { scheduleMinute: 700, domains: ['later.example'] });

    // 10:03 local (winter time): slots 10:00 and 10:01 began in the first-run window.
    const now = new Date('2026-01-20T09:03:00Z');
    const first = await dispatchDueScans(queue, database.db, { now, timezone: TZ });
    assert.equal(first.queued, 2);
    const rows = await dispatchesOf([...due.assetIds, ...later.assetIds]);
    assert.deepEqual(rows.map((r) => r.asset_id).sort(), [...due.assetIds].sort());
    assert.ok(rows.every((r) => r.local_date === '2026-01-20'));
    for (const row of rows) {
      const job = await queue.getScanJob(row.job_id);
      assert.ok(job, 'the job is in the queue');
      assert.equal(job.state, 'created');
      assert.deepEqual(job.data, { organisationId: due.organisationId, assetId: row.asset_id, trigger: 'schedule', requestedBy: null });
    }
    assert.equal(ipOnly.assetIds.length, 0);

    assert.equal((await dispatchDueScans(queue, database.db, { now, timezone: TZ })).queued, 0);
    assert.equal((await dispatchDueScans(queue, database.db, { now: new Date('2026-01-20T09:08:00Z'), timezone: TZ })).queued, 0);
    // Even when the bookkeeping of the window is lost, the same local day is not dispatched twice.
    await sql`DELETE FROM schedule_dispatch_state`.execute(database.db);
    assert.equal((await dispatchDueScans(queue, database.db, { now, timezone: TZ })).queued, 0);
    assert.equal((await dispatchesOf(due.assetIds)).length, 2);
  });

  it('scans a domain once on the fall-back night although its slot comes round twice', async () => {
    const org = await seedOrganisation(database.db, programmeId, { scheduleMinute: 125, domains: ['nacht.example'] });
    let queued = 0;
    // Every five minutes from 01:30 CEST to 03:30 CET (25 October 2026).
    for (let t = Date.parse('2026-10-24T23:30:00Z'); t <= Date.parse('2026-10-25T02:30:00Z'); t += 5 * 60_000) {
      queued += (await dispatchDueScans(queue, database.db, { now: new Date(t), timezone: TZ })).queued;
    }
    assert.equal(queued, 1);
    const [row] = await dispatchesOf(org.assetIds);
    assert.equal(row?.local_date, '2026-10-25');
    const job = await queue.getScanJob(row.job_id);
    assert.equal(job?.state, 'created');
  });

  it('catches up on slots missed while no dispatch ran, up to a day back', async () => {
    const missed = await seedOrganisation(database.db, programmeId, { scheduleMinute: 13 * 60, domains: ['gemist.example'] });
    await dispatchDueScans(queue, database.db, { now: new Date('2026-02-10T10:00:00Z'), timezone: TZ }); // 11:00 local
    const later = await dispatchDueScans(queue, database.db, { now: new Date('2026-02-10T15:00:00Z'), timezone: TZ }); // 16:00 local
    assert.ok(later.queued >= 1);
    assert.equal((await dispatchesOf(missed.assetIds)).length, 1);
  });

  it('two dispatchers at the same moment queue each scan once', async () => {
    const org = await seedOrganisation(database.db, programmeId, { scheduleMinute: 20 * 60, domains: ['x.example', 'y.example', 'z.example'] });
    const now = new Date('2026-02-11T19:02:00Z'); // 20:02 local
    const results = await Promise.all([1, 2, 3].map(() => dispatchDueScans(queue, database.db, { now, timezone: TZ })));
    assert.equal(results.reduce((sum, r) => sum + r.queued, 0), 3);
    const rows = await dispatchesOf(org.assetIds);
    assert.equal(rows.length, 3);
    const jobs = await Promise.all(rows.map((r) => queue.getScanJob(r.job_id)));
    assert.ok(jobs.every((job) => job?.state === 'created'));
  });

  it('a manual scan is queued once while it waits, with the default key per domain', async () => {
    const org = await seedOrganisation(database.db, programmeId, { scheduleMinute: 5, domains: ['handmatig.example'] });
    const request = { organisationId: org.organisationId, assetId: org.assetIds[0] as string, trigger: 'manual' as const, requestedBy: null };
    const first = await queue.enqueueScan(request);
    assert.ok(first);
    assert.equal(await queue.enqueueScan(request), null);
    // A scheduled scan of the same domain has its own key and is not held back by the manual one.
    const scheduled = await queue.enqueueScan(
      { ...request, trigger: 'schedule' },
      { singletonKey: scheduledScanKey(request.assetId, '2026-02-12') },
    );
    assert.ok(scheduled);
  });
});
