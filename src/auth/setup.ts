// First start: while no active platform admin exists, a setup token (printed in the log by the
// caller) lets one person create the first admin. The token dies when used, when a newer one is
// issued, after 24 hours, and becomes useless once an admin exists.
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { parseInput } from '../domain/parse-input.ts';
import { consumeToken, invalidToken, issueToken, revokeOpenTokens } from './tokens.ts';
import { setupInput, type SetupInput } from './inputs.ts';
import { hashPassword } from './passwords.ts';

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
// Serialises setup attempts so two racing requests cannot both create "the first" admin.
const SETUP_LOCK = 72_616_101;

async function activeAdminExists(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id')
    .where('memberships.role', '=', 'platform_admin')
    .where('users.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function needsSetup(db: Kysely<DB>): Promise<boolean> {
  return !(await activeAdminExists(db));
}

/** A fresh setup token; every older unused one stops working. */
export async function issueSetupToken(db: Kysely<DB>): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await revokeOpenTokens(trx, 'setup', null);
    return issueToken(trx, { purpose: 'setup', ttlMs: SETUP_TOKEN_TTL_MS });
  });
}

export async function completeSetup(db: Kysely<DB>, rawToken: string, input: SetupInput, options: { ip?: string | null } = {}): Promise<string> {
  const values = parseInput(setupInput, input);
  const passwordHash = await hashPassword(values.password);
  const userId = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`.execute(trx);
    await consumeToken(trx, rawToken, 'setup');
    if (await activeAdminExists(trx)) throw invalidToken();
    // The address may already belong to an account (say, a disabled former admin): it is reused.
    const user = await trx
      .insertInto('users')
      .values({ email: values.email, name: values.name, password_hash: passwordHash, status: 'active', language: values.language })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          name: values.name,
          password_hash: passwordHash,
          status: 'active',
          language: values.language,
          failed_logins: 0,
          locked_until: null,
          // The new owner enrols a second factor of their own.
          totp_secret: null,
          totp_enabled_at: null,
          totp_last_step: null,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('memberships')
      .values({ user_id: user.id, role: 'platform_admin' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await audit(trx, {
      action: 'setup.completed',
      actorUserId: user.id,
      subjectType: 'user',
      subjectId: user.id,
      ip: options.ip ?? null,
      details: { email: values.email },
    });
    return user.id;
  });
  return userId;
}
