// `cybermonitor worker` as a process: refuses the embedded database, and on PostgreSQL two worker
// processes share one queue, each job stored once, and stop cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createQueue, type JobQueue } from '../../src/jobs/queue.ts';
import { silentLogger } from '../../src/logger.ts';
import { startFixtureInternet, type FixtureInternet } from '../fixtures/fixture-internet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase, seedOrganisation, seedProgramme } from './seed.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'src', 'cli', 'main.ts');

function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('cybermonitor worker (command)', () => {
  it('refuses to run on the embedded database and points to serve', async () => {
    const run = startCli(['worker'], { DATA_DIR: 'memory://' });
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /DATABASE_URL/);
    assert.match(run.output(), /serve/);
  });

  describe('on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' }, () => {
    let net: FixtureInternet;
    let database: TestDatabase;
    let queue: JobQueue;
    const workers: Array<ReturnType<typeof startCli>> = [];

    before(async () => {
      net = await startFixtureInternet();
      database = await createTestDatabase('postgres');
    });
    after(async () => {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await queue?.stop();
      await closeTestDatabase(database);
      await net?.close();
    });

    it('two worker processes share the queue, store every scan once and stop on SIGTERM', async () => {
      const env = {
        DATABASE_URL: database.url as string,
        DNS_RESOLVER: net.resolver,
        ALLOW_PRIVATE_TARGETS: '1',
        NODE_EXTRA_CA_CERTS: net.caFile,
        SCAN_CONCURRENCY: '2',
        LOG_LEVEL: 'info',
      };
      for (let i = 0; i < 2; i++) {
        const worker = startCli(['worker'], env);
        workers.push(worker);
        await waitFor(() => worker.output().includes('"msg":"worker started"') || worker.child.exitCode !== null, 'worker start');
        assert.equal(worker.child.exitCode, null, worker.output());
      }

      const programmeId = await seedProgramme(database.db);
      const { organisationId, assetIds } = await seedOrganisation(database.db, programmeId, {
        domains: [net.sites.valid.domain, net.sites.expired.domain, net.sites.wrongHost.domain, net.sites.soon.domain],
      });
      queue = createQueue(database, { logger: silentLogger(), background: false });
      await queue.start();
      const jobIds = await Promise.all(
        assetIds.map((assetId) => queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy: null })),
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        const states = await Promise.all(jobIds.map(async (id) => (await queue.getScanJob(id as string))?.state));
        if (states.every((state) => state === 'completed')) break;
        if (Date.now() > deadline) throw new Error(`jobs not completed: ${states.join(', ')}\n${workers.map((w) => w.output()).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM scans WHERE organisation_id = ${organisationId} AND status = 'completed'`.execute(database.db);
      assert.equal(Number(rows[0]?.n), assetIds.length);
      const valid = await database.db
        .selectFrom('check_results')
        .select('status')
        .where('asset_id', '=', assetIds[0] as string)
        .where('check_id', '=', 'tls.certificate')
        .executeTakeFirstOrThrow();
      assert.equal(valid.status, 'pass', 'the worker trusted the test CA through NODE_EXTRA_CA_CERTS');

      for (const worker of workers) worker.child.kill('SIGTERM');
      const codes = await Promise.all(workers.map((worker) => worker.exited));
      assert.deepEqual(codes, [0, 0], workers.map((w) => w.output()).join('\n'));
    });
  });
});
