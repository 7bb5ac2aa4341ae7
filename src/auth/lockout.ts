// Account lockout: five failed attempts in a row (wrong password or wrong second factor) lock
// the account for fifteen minutes. While locked, attempts are refused without being checked and
// without extending the lock, so an attacker cannot keep a victim locked out forever by hammering,
// only for fifteen minutes per five guesses; rate limiting at the edge does the rest.
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export function lockedError(lockedUntil: Date, now: number = Date.now()): AppError {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now) / 60_000));
  return new AppError('locked', 'auth.locked', { params: { minutes } });
}

export const isLocked = (lockedUntil: Date | null, now: number = Date.now()): lockedUntil is Date =>
  lockedUntil !== null && lockedUntil.getTime() > now;

/**
 * Counts one failure, atomically (parallel guesses each count). Returns the lock end when this
 * failure locked the account (or it was locked meanwhile), else null.
 */
export async function registerFailure(db: Kysely<DB>, userId: string, ip: string | null): Promise<Date | null> {
  const lockSeconds = LOCKOUT_MS / 1000;
  const result = await sql<{ locked_until: Date | null }>`
    UPDATE users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS}
                          THEN now() + make_interval(secs => ${lockSeconds}) ELSE locked_until END
    WHERE id = ${userId} AND (locked_until IS NULL OR locked_until <= now())
    RETURNING locked_until`.execute(db);
  const row = result.rows[0];
  if (!row) {
    // Locked by a parallel attempt between our check and this update.
    const current = await db.selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirst();
    return current?.locked_until ?? new Date(Date.now() + LOCKOUT_MS);
  }
  if (isLocked(row.locked_until)) {
    await audit(db, {
      action: 'login.locked',
      actorUserId: null,
      subjectType: 'user',
      subjectId: userId,
      ip,
      details: { until: row.locked_until.toISOString(), minutes: LOCKOUT_MS / 60_000 },
    });
    return row.locked_until;
  }
  return null;
}

/** After a complete successful sign-in: the count starts again. */
export async function clearFailures(db: Kysely<DB>, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}
