// The CLI acts on the database directly, as the operator of this installation. It does so as
// a built-in "system operator" account: a platform admin that can never sign in (disabled, no
// password), so that every change still goes through src/authz and lands in the audit log.
import type { Kysely } from 'kysely';
import type { Actor } from '../authz/actor.ts';
import { SYSTEM_OPERATOR_EMAIL, SYSTEM_OPERATOR_ID } from '../authz/system-operator.ts';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import { createLogger, type Logger } from '../logger.ts';


export async function ensureSystemOperator(db: Kysely<DB>): Promise<Actor> {
  await db
    .insertInto('users')
    .values({ id: SYSTEM_OPERATOR_ID, email: SYSTEM_OPERATOR_EMAIL, name: 'System operator (CLI)', status: 'disabled' })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const membership = await db.selectFrom('memberships').select('id').where('user_id', '=', SYSTEM_OPERATOR_ID).executeTakeFirst();
  if (!membership) await db.insertInto('memberships').values({ user_id: SYSTEM_OPERATOR_ID, role: 'platform_admin' }).execute();
  return {
    userId: SYSTEM_OPERATOR_ID,
    email: SYSTEM_OPERATOR_EMAIL,
    name: 'System operator (CLI)',
    language: 'en',
    grants: [{ role: 'platform_admin', programmeId: null, partnerId: null, insurerId: null, organisationId: null }],
  };
}

export interface OperatorContext {
  config: Config;
  logger: Logger;
  database: Database;
  operator: Actor;
}

/** Opens the configured database (migrated), runs the command as the system operator, closes. */
export async function withOperator<T>(run: (context: OperatorContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database.db);
    const operator = await ensureSystemOperator(database.db);
    return await run({ config, logger, database, operator });
  } finally {
    await database.close();
  }
}
