// Test databases: every suite runs on the embedded PGlite and, when TEST_DATABASE_URL points at
// a PostgreSQL server (CI sets it), on a fresh database created on that server for the suite.
import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseKind } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export interface TestDatabase extends Database {
  /** The URL of the created database (PostgreSQL only). */
  url?: string;
}

export const testDatabaseKinds = (): DatabaseKind[] =>
  process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let database: TestDatabase;
  if (kind === 'pglite') {
    database = await openDatabase({ dataDir: 'memory://' });
  } else {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `cm_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const opened = await openDatabase({ databaseUrl: url.toString() });
    database = {
      ...opened,
      url: url.toString(),
      close: async () => {
        await opened.close();
        const cleanup = new pg.Client({ connectionString: adminUrl });
        await cleanup.connect();
        // A closed pool's sockets may still be closing; dropping under them would make the
        // server terminate a connection that some client still listens to.
        for (let waited = 0; waited < 5000; waited += 50) {
          const { rows } = await cleanup.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  if (options.migrate !== false) await migrate(database.db);
  return database;
}

/** Declares the same suite once per available database kind. */
export function describeEachDatabase(title: string, suite: (kind: DatabaseKind) => void): void {
  for (const kind of testDatabaseKinds()) {
    describe(`${title} [${kind}]`, () => suite(kind));
  }
}
