// Shared set-up for the authentication tests: users with a known password, TOTP codes computed
// the way an authenticator app does, and a look into the audit log.
import { generate } from 'otplib';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/auth/passwords.ts';

export const PASSWORD = 'correct horse battery staple';

export async function createUser(
  db: Kysely<DB>,
  options: { email: string; password?: string | null; status?: 'invited' | 'active' | 'disabled'; role?: Role; language?: 'nl' | 'en' },
): Promise<string> {
  const password = options.password === undefined ? PASSWORD : options.password;
  const user = await db
    .insertInto('users')
    .values({
      email: options.email,
      name: options.email.split('@')[0] ?? 'user',
      password_hash: password === null ? null : await hashPassword(password),
      status: options.status ?? 'active',
      language: options.language ?? 'nl',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.role === 'platform_admin') {
    await db.insertInto('memberships').values({ user_id: user.id, role: 'platform_admin' }).execute();
  } else if (options.role) {
    throw new Error(`createUser: role ${options.role} needs a scope; create it in the test`);
  }
  return user.id;
}

/** The code an authenticator app shows `offsetSteps` periods from now. */
export async function totpCode(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

export async function auditActions(db: Kysely<DB>, subjectId?: string): Promise<string[]> {
  let query = db.selectFrom('audit_log').select('action').orderBy('id');
  if (subjectId) query = query.where('subject_id', '=', subjectId);
  return (await query.execute()).map((row) => row.action);
}

export async function rejectsWith(promise: Promise<unknown>, code: string, messageKey?: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; messageKey?: string };
    if (e.code !== code || (messageKey && e.messageKey !== messageKey)) {
      throw new Error(`expected ${code}/${messageKey ?? '*'}, got ${e.code}/${e.messageKey}: ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected rejection with ${code}/${messageKey ?? '*'}, but it resolved`);
}
