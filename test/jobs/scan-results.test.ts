import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordScan, recordScanFailure } from '../../src/db/repositories/scan-results.ts';
import type { CheckResult, CheckStatus } from '../../src/checks/types.ts';
import type { DomainScan } from '../../src/scan/types.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase, seedOrganisation, seedProgramme } from './seed.ts';

function result(checkId: string, status: CheckStatus): CheckResult {
  return {
    checkId,
    checkVersion: 1,
    status,
    severity: status === 'pass' ? 'info' : 'high',
    summaryKey: `checks.${checkId}.${status}`,
    summaryParams: { days: 3 },
    details: { seen: status, nested: { list: [1, 2] } },
  };
}

function domainScan(startedAt: string, results: CheckResult[]): DomainScan {
  return {
    target: 'bakkerij.example',
    startedAt,
    durationMs: 1500,
    evidence: [
      { kind: 'dns.records', gatheredAt: startedAt, data: { a: ['192.0.2.1'], mx: [] } },
      { kind: 'tls.certificate', gatheredAt: startedAt, data: ['a', 'list', 'of', 'names'] },
    ],
    results,
  };
}

describeEachDatabase('recordScan', (kind) => {
  let database: TestDatabase;
  let programmeId: string;

  before(async () => {
    database = await createTestDatabase(kind);
    programmeId = await seedProgramme(database.db);
  });
  after(async () => {
    await closeTestDatabase(database);
  });

  const count = async (table: 'scans' | 'evidence' | 'check_results' | 'check_result_history', assetId: string) => {
    const join = table === 'evidence' ? sql`JOIN scans ON scans.id = evidence.scan_id WHERE scans.asset_id = ${assetId}` : sql`WHERE asset_id = ${assetId}`;
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} ${join}`.execute(database.db);
    return Number(rows[0]?.n);
  };

  it('stores a scan once: the same job id a second time stores nothing', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['bakkerij.example'] });
    const assetId = assetIds[0] as string;
    const jobId = randomUUID();
    const scan = domainScan('2026-03-02T08:00:00.000Z', [result('tls.certificate', 'pass'), result('dns.dnssec', 'fail')]);

    const first = await recordScan(database.db, { jobId, organisationId, assetId, trigger: 'schedule', scan });
    assert.equal(first.stored, true);
    const second = await recordScan(database.db, { jobId, organisationId, assetId, trigger: 'schedule', scan });
    assert.deepEqual(second, { scanId: first.scanId, stored: false });

    assert.equal(await count('scans', assetId), 1);
    assert.equal(await count('evidence', assetId), 2);
    assert.equal(await count('check_results', assetId), 2);
    assert.equal(await count('check_result_history', assetId), 2);

    const stored = await database.db.selectFrom('scans').selectAll().where('id', '=', first.scanId).executeTakeFirstOrThrow();
    assert.equal(stored.status, 'completed');
    assert.equal(stored.job_id, jobId);
    assert.equal(stored.started_at.toISOString(), '2026-03-02T08:00:00.000Z');
    assert.equal(stored.finished_at?.toISOString(), '2026-03-02T08:00:01.500Z');

    const evidence = await database.db.selectFrom('evidence').selectAll().where('scan_id', '=', first.scanId).orderBy('kind').execute();
    assert.deepEqual(evidence.map((e) => e.data), [{ a: ['192.0.2.1'], mx: [] }, ['a', 'list', 'of', 'names']]);

    const current = await database.db.selectFrom('check_results').selectAll().where('asset_id', '=', assetId).where('check_id', '=', 'dns.dnssec').executeTakeFirstOrThrow();
    assert.equal(current.status, 'fail');
    assert.equal(current.previous_status, null);
    assert.deepEqual(current.summary_params, { days: 3 });
    assert.deepEqual(current.details, { seen: 'fail', nested: { list: [1, 2] } });
    assert.equal(current.last_scan_id, first.scanId);
  });

  it('follows a check through pass → fail → pass → fail: previous status, resolution and history', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['kapper.example'] });
    const assetId = assetIds[0] as string;
    const times = ['2026-03-01T06:00:00.000Z', '2026-03-02T06:00:00.000Z', '2026-03-03T06:00:00.000Z', '2026-03-04T06:00:00.000Z', '2026-03-05T06:00:00.000Z'];
    const statuses: CheckStatus[] = ['pass', 'fail', 'fail', 'pass', 'fail'];
    const seen = [];
    for (const [i, status] of statuses.entries()) {
      const outcome = await recordScan(database.db, {
        jobId: randomUUID(),
        organisationId,
        assetId,
        trigger: 'schedule',
        scan: domainScan(times[i] as string, [result('web.https', status)]),
      });
      assert.equal(outcome.stored, true);
      const row = await database.db.selectFrom('check_results').selectAll().where('asset_id', '=', assetId).executeTakeFirstOrThrow();
      seen.push({
        status: row.status,
        previous: row.previous_status,
        first: row.first_seen_at.toISOString(),
        last: row.last_seen_at.toISOString(),
        resolved: row.resolved_at?.toISOString() ?? null,
      });
    }
    assert.deepEqual(seen, [
      { status: 'pass', previous: null, first: times[0], last: times[0], resolved: null },
      { status: 'fail', previous: 'pass', first: times[0], last: times[1], resolved: null },
      { status: 'fail', previous: 'pass', first: times[0], last: times[2], resolved: null },
      { status: 'pass', previous: 'fail', first: times[0], last: times[3], resolved: times[3] },
      { status: 'fail', previous: 'pass', first: times[0], last: times[4], resolved: null },
    ]);
    const history = await database.db
      .selectFrom('check_result_history')
      .select(['status', 'observed_at'])
      .where('asset_id', '=', assetId)
      .orderBy('observed_at')
      .execute();
    assert.deepEqual(history.map((h) => h.status), statuses);
  });

  it('two deliveries of the same job at the same time store one scan', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['garage.example'] });
    const assetId = assetIds[0] as string;
    const jobId = randomUUID();
    const scan = domainScan('2026-03-02T09:00:00.000Z', [result('tls.certificate', 'pass')]);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => recordScan(database.db, { jobId, organisationId, assetId, trigger: 'manual', scan })),
    );
    assert.equal(outcomes.filter((o) => o.stored).length, 1);
    assert.equal(new Set(outcomes.map((o) => o.scanId)).size, 1);
    assert.equal(await count('scans', assetId), 1);
    assert.equal(await count('check_result_history', assetId), 1);
  });

  it('refuses to store for an asset that is gone or belongs to another organisation', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['weg.example'] });
    const other = await seedOrganisation(database.db, programmeId, { domains: ['ander.example'] });
    const scan = domainScan('2026-03-02T09:00:00.000Z', [result('tls.certificate', 'pass')]);
    await assert.rejects(
      recordScan(database.db, { jobId: randomUUID(), organisationId, assetId: other.assetIds[0] as string, trigger: 'manual', scan }),
      { code: 'not_found' },
    );
    await database.db.deleteFrom('assets').where('id', '=', assetIds[0] as string).execute();
    await assert.rejects(
      recordScan(database.db, { jobId: randomUUID(), organisationId, assetId: assetIds[0] as string, trigger: 'manual', scan }),
      { code: 'not_found' },
    );
    assert.equal(await count('scans', other.assetIds[0] as string), 0);
  });

  it('rejects a scan that names a check twice, storing nothing', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['dubbel.example'] });
    const assetId = assetIds[0] as string;
    const scan = domainScan('2026-03-02T09:00:00.000Z', [result('web.https', 'pass'), result('web.https', 'fail')]);
    await assert.rejects(recordScan(database.db, { jobId: randomUUID(), organisationId, assetId, trigger: 'manual', scan }), /twice/);
    assert.equal(await count('scans', assetId), 0);
  });

  it('records a failure once, and a later successful store of the same job replaces it', async () => {
    const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, { domains: ['faal.example'] });
    const assetId = assetIds[0] as string;
    const jobId = randomUUID();
    const failedId = await recordScanFailure(database.db, { jobId, organisationId, assetId, trigger: 'schedule', error: 'errors.scan_failed' });
    assert.ok(failedId);
    assert.equal(await recordScanFailure(database.db, { jobId, organisationId, assetId, trigger: 'schedule', error: 'again' }), null);
    const failed = await database.db.selectFrom('scans').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'errors.scan_failed');

    const outcome = await recordScan(database.db, {
      jobId,
      organisationId,
      assetId,
      trigger: 'schedule',
      scan: domainScan('2026-03-02T10:00:00.000Z', [result('web.https', 'pass')]),
    });
    assert.deepEqual(outcome, { scanId: failedId, stored: true });
    const completed = await database.db.selectFrom('scans').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
    assert.equal(completed.status, 'completed');
    assert.equal(completed.error, null);
    assert.equal(await recordScanFailure(database.db, { jobId, organisationId, assetId, trigger: 'schedule', error: 'late' }), null);
    assert.equal(await count('scans', assetId), 1);

    // No row at all for an asset that does not exist (deleted before the failure was recorded).
    assert.equal(await recordScanFailure(database.db, { jobId: randomUUID(), organisationId, assetId: randomUUID(), trigger: 'manual', error: 'x' }), null);
  });
});
