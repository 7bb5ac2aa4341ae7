import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../test/helpers/database.ts';
import { listMigrations, migrate } from './migrate.ts';

describeEachDatabase('migrations', (kind) => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(kind, { migrate: false });
  });
  after(async () => database.close());

  it('applies every migration once and is idempotent', async () => {
    const first = await migrate(database.db);
    assert.deepEqual(first, listMigrations().map((m) => m.version));
    assert.deepEqual(await migrate(database.db), []);
  });

  it('parses values the same way on every database', async () => {
    const row = await sql<{ big: string; day: string; at: Date; doc: { a: number } }>`
      SELECT 9007199254740993::int8 AS big, '2027-01-31'::date AS day, now() AS at, '{"a":1}'::jsonb AS doc`.execute(database.db);
    const [value] = row.rows;
    assert.equal(value?.big, '9007199254740993');
    assert.equal(value?.day, '2027-01-31');
    assert.ok(value?.at instanceof Date);
    assert.deepEqual(value?.doc, { a: 1 });
  });

  it('enforces the scope that a role needs in the schema itself', async () => {
    const user = await database.db.insertInto('users').values({ email: 'a@example.nl', name: 'A' }).returning('id').executeTakeFirstOrThrow();
    await assert.rejects(
      database.db.insertInto('memberships').values({ user_id: user.id, role: 'coordinator' }).execute(),
      /check constraint/,
    );
  });

  it('rolls a failed transaction back', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('insurers').values({ name: 'Rolled Back' }).execute();
        throw new Error('boom');
      }),
      /boom/,
    );
    const rows = await database.db.selectFrom('insurers').selectAll().where('name', '=', 'Rolled Back').execute();
    assert.equal(rows.length, 0);
  });
});
