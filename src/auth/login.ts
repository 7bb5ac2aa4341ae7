// Signing in: the password first, then (for users who have it, or whose role demands it) the
// second factor. Every refusal looks the same from outside (auth.invalid_credentials) and takes
// about the same time, whether the email exists or not; only a lock is told as such.
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB, Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { clearFailures, isLocked, lockedError, registerFailure } from './lockout.ts';
import { hashPassword, passwordNeedsRehash, verifyDummyPassword, verifyPassword } from './passwords.ts';
import { verifyTotp } from './totp.ts';

export type LoginNext = 'done' | 'totp' | 'enrol_totp';

/** Roles that see many companies' weaknesses or aggregates: they must use a second factor. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['platform_admin', 'coordinator', 'it_partner', 'insurer'];
export const roleRequiresTotp = (role: Role): boolean => TOTP_REQUIRED_ROLES.includes(role);

export async function userRequiresTotp(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', 'in', [...TOTP_REQUIRED_ROLES])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

const invalidCredentials = (): AppError => new AppError('unauthenticated', 'auth.invalid_credentials');
const totpInvalid = (): AppError => new AppError('unauthenticated', 'auth.totp_invalid');

const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 1024;

export async function passwordLogin(
  db: Kysely<DB>,
  input: { email: string; password: string; ip?: string | null },
): Promise<{ userId: string; next: LoginNext }> {
  const ip = input.ip ?? null;
  const email = String(input.email ?? '').trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH);
  // A password far beyond the allowed length is refused without hashing it (no CPU amplification).
  const password = String(input.password ?? '');
  const user = email
    ? await db
        .selectFrom('users')
        .select(['id', 'password_hash', 'status', 'locked_until', 'totp_enabled_at'])
        .where('email', '=', email)
        .executeTakeFirst()
    : undefined;

  if (!user || user.status !== 'active' || !user.password_hash || password.length > MAX_PASSWORD_LENGTH) {
    await verifyDummyPassword(password.slice(0, MAX_PASSWORD_LENGTH));
    await audit(db, {
      action: 'login.failed',
      subjectType: user ? 'user' : undefined,
      subjectId: user?.id,
      ip,
      details: user ? { reason: user.status !== 'active' ? `status_${user.status}` : 'no_password' } : { reason: 'unknown_email', email },
    });
    throw invalidCredentials();
  }

  if (isLocked(user.locked_until)) {
    await verifyDummyPassword(password);
    await audit(db, { action: 'login.failed', subjectType: 'user', subjectId: user.id, ip, details: { reason: 'locked' } });
    throw lockedError(user.locked_until);
  }

  if (!(await verifyPassword(user.password_hash, password))) {
    await audit(db, { action: 'login.failed', subjectType: 'user', subjectId: user.id, ip, details: { reason: 'wrong_password' } });
    const lockedUntil = await registerFailure(db, user.id, ip);
    if (lockedUntil) throw lockedError(lockedUntil);
    throw invalidCredentials();
  }

  if (passwordNeedsRehash(user.password_hash)) {
    await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute();
  }

  if (user.totp_enabled_at) {
    // Half signed in: failures are not forgiven until the second factor is given too, or the
    // password would reset the counter between guesses at the code.
    await audit(db, { action: 'login.password_passed', actorUserId: user.id, subjectType: 'user', subjectId: user.id, ip });
    return { userId: user.id, next: 'totp' };
  }
  const next: LoginNext = (await userRequiresTotp(db, user.id)) ? 'enrol_totp' : 'done';
  await completeLogin(db, user.id, ip, { factor: 'password', next });
  return { userId: user.id, next };
}

export async function secondFactorLogin(
  db: Kysely<DB>,
  input: { userId: string; code: string; ip?: string | null },
): Promise<void> {
  const ip = input.ip ?? null;
  const user = await db
    .selectFrom('users')
    .select(['id', 'status', 'locked_until', 'totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active' || !user.totp_secret || !user.totp_enabled_at) throw totpInvalid();
  if (isLocked(user.locked_until)) throw lockedError(user.locked_until);

  const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
  const step = await verifyTotp(user.totp_secret, String(input.code ?? ''), lastStep);
  // Claim the step atomically: of two requests with the same code only one gets it.
  const claimed =
    step !== null &&
    Number(
      (
        await db
          .updateTable('users')
          .set({ totp_last_step: step })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', sql<string>`${step}`)]))
          .executeTakeFirst()
      ).numUpdatedRows,
    ) === 1;
  if (!claimed) {
    await audit(db, {
      action: 'totp.failed',
      subjectType: 'user',
      subjectId: user.id,
      ip,
      details: { reason: step === null ? 'wrong_code' : 'replayed' },
    });
    const lockedUntil = await registerFailure(db, user.id, ip);
    if (lockedUntil) throw lockedError(lockedUntil);
    throw totpInvalid();
  }
  await completeLogin(db, user.id, ip, { factor: 'totp', next: 'done' });
}

async function completeLogin(db: Kysely<DB>, userId: string, ip: string | null, details: Record<string, unknown>): Promise<void> {
  await clearFailures(db, userId);
  await db.updateTable('users').set({ last_login_at: sql<Date>`now()` }).where('id', '=', userId).execute();
  await audit(db, { action: 'login.succeeded', actorUserId: userId, subjectType: 'user', subjectId: userId, ip, details });
}
