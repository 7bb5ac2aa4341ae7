// Rows the job tests need: a programme, organisations and their domain assets.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { DB } from '../../src/db/schema.ts';
import { localMinuteOf } from '../../src/jobs/scheduler.ts';
import type { TestDatabase } from '../helpers/database.ts';

export async function seedProgramme(db: Kysely<DB>): Promise<string> {
  const row = await db.insertInto('programmes').values({ name: 'Cyberveilig Testdorp', region: 'Testdorp' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

let kvk = 10_000_000;

/** Half a day away from now: an organisation the running schedule will not pick up during a test. */
export const farFromNowMinute = (): number => (localMinuteOf(new Date(), 'Europe/Amsterdam').minute + 720) % 1440;

export async function seedOrganisation(
  db: Kysely<DB>,
  programmeId: string,
  options: { scheduleMinute?: number; domains?: string[]; otherAssets?: Array<{ kind: 'ip_address' | 'person'; value: string }> } = {},
) {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      programme_id: programmeId,
      name: `Bedrijf ${id.slice(0, 8)}`,
      kvk_number: String(kvk++),
      schedule_minute: options.scheduleMinute ?? farFromNowMinute(),
    })
    .execute();
  const assetIds: string[] = [];
  for (const domain of options.domains ?? []) {
    const asset = await db
      .insertInto('assets')
      .values({ organisation_id: id, kind: 'domain', value: domain, verification_token: randomBytes(8).toString('hex') })
      .returning('id')
      .executeTakeFirstOrThrow();
    assetIds.push(asset.id);
  }
  for (const other of options.otherAssets ?? []) {
    await db
      .insertInto('assets')
      .values({ organisation_id: id, kind: other.kind, value: other.value, verification_token: randomBytes(8).toString('hex') })
      .execute();
  }
  return { organisationId: id, assetIds };
}

/**
 * Closes a test database after its pools have really let go. pg's Pool.end() resolves before its
 * sockets are closed, and the helper then drops the database WITH (FORCE): a socket still closing
 * gets "terminating connection due to administrator command" as an uncaught error.
 */
export async function closeTestDatabase(database: TestDatabase | undefined): Promise<void> {
  if (!database) return;
  await database.db.destroy();
  if (database.url && process.env.TEST_DATABASE_URL) {
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      for (let waited = 0; waited < 3000; waited += 20) {
        const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (Number(rows[0]?.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await admin.end();
    }
  }
  await database.close();
}
