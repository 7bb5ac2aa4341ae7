// Versioned SQL migrations (src/db/migrations/NNNN_name.sql), applied in order, each in its
// own transaction, once. An advisory lock keeps several starting workers from racing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

const migrationsDir = join(import.meta.dirname, 'migrations');
const MIGRATION_LOCK = 72_616_001;

export interface Migration {
  version: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.slice(0, -'.sql'.length), sql: readFileSync(join(migrationsDir, name), 'utf8') }));
}

/** Applies what is missing and returns the versions it applied. */
export async function migrate(db: Kysely<DB>): Promise<string[]> {
  const applied: string[] = [];
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  for (const migration of listMigrations()) {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const done = await sql<{ version: string }>`SELECT version FROM schema_migrations WHERE version = ${migration.version}`.execute(trx);
      if (done.rows.length > 0) return;
      await sql.raw(migration.sql).execute(trx);
      await sql`INSERT INTO schema_migrations (version) VALUES (${migration.version})`.execute(trx);
      applied.push(migration.version);
    });
  }
  return applied;
}
