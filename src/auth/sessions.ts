// Server-side sessions. The cookie carries a random token; the database keeps only its SHA-256
// (`id_hash`), so a leaked table opens no session. A session ends after 30 minutes without use
// or 12 hours after it began, whichever comes first, and it is replaced by a fresh one whenever
// the user proves something (password, second factor) so a planted session id is worthless.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { randomSecret, sha256Hex } from './secrets.ts';

export const SESSION_COOKIE = 'cm_session';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reading pages does not mean writing rows. */
export const TOUCH_INTERVAL_MS = 60 * 1000;

const MAX_USER_AGENT_LENGTH = 512;
const MAX_IP_LENGTH = 64;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface LoadedSession {
  userId: string;
  csrfToken: string;
  mfaPassed: boolean;
  idHash: string;
  expiresAt: Date;
}

export interface CreateSessionOptions {
  userId: string;
  mfaPassed: boolean;
  ip?: string | null;
  userAgent?: string | null;
}

export const sessionIdHash = (token: string): string => sha256Hex(token);

export async function createSession(db: Kysely<DB>, options: CreateSessionOptions): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ABSOLUTE_LIFETIME_MS);
  await db
    .insertInto('sessions')
    .values({
      id_hash: sessionIdHash(token),
      user_id: options.userId,
      csrf_token: csrfToken,
      mfa_passed: options.mfaPassed,
      expires_at: expiresAt,
      ip: options.ip?.slice(0, MAX_IP_LENGTH) ?? null,
      user_agent: options.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The session behind a cookie value, or null when it is unknown, idle too long, past its
 * lifetime, or its user is no longer active. Dead sessions are deleted on sight.
 */
export async function loadSession(db: Kysely<DB>, token: string): Promise<LoadedSession | null> {
  if (typeof token !== 'string' || !SESSION_TOKEN.test(token)) return null;
  const idHash = sessionIdHash(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.mfa_passed',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.status',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const expired = row.expires_at.getTime() <= now || row.last_seen_at.getTime() + IDLE_TIMEOUT_MS <= now;
  if (expired || row.status !== 'active') {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  return {
    userId: row.user_id,
    csrfToken: row.csrf_token,
    mfaPassed: row.mfa_passed,
    idHash,
    expiresAt: row.expires_at,
  };
}

/**
 * Replaces a live session by a new one for the same user (after the password, after the second
 * factor). The old token stops working at once. Throws unauthenticated when the old session is
 * gone.
 */
export async function rotateSession(
  db: Kysely<DB>,
  oldToken: string,
  options: { mfaPassed: boolean; ip?: string | null; userAgent?: string | null },
): Promise<NewSession> {
  const current = await loadSession(db, oldToken);
  if (!current) throw new AppError('unauthenticated', 'auth.session_invalid');
  const rotated = await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('sessions')
      .where('id_hash', '=', current.idHash)
      .returning(['user_id', 'ip', 'user_agent'])
      .executeTakeFirst();
    // A concurrent request rotated or ended it first: only one of them may get a successor.
    if (!removed) throw new AppError('unauthenticated', 'auth.session_invalid');
    return createSession(trx, {
      userId: removed.user_id,
      mfaPassed: options.mfaPassed,
      ip: options.ip ?? removed.ip,
      userAgent: options.userAgent ?? removed.user_agent,
    });
  });
  await audit(db, {
    action: 'session.rotated',
    actorUserId: current.userId,
    subjectType: 'user',
    subjectId: current.userId,
    ip: options.ip ?? null,
    details: { mfaPassed: options.mfaPassed },
  });
  return rotated;
}

/** Ends one session (sign out). Unknown tokens are ignored. */
export async function destroySession(
  db: Kysely<DB>,
  token: string,
  options: { ip?: string | null; reason?: string } = {},
): Promise<void> {
  if (typeof token !== 'string' || !SESSION_TOKEN.test(token)) return;
  const removed = await db
    .deleteFrom('sessions')
    .where('id_hash', '=', sessionIdHash(token))
    .returning('user_id')
    .executeTakeFirst();
  if (removed) {
    await audit(db, {
      action: 'logout',
      actorUserId: removed.user_id,
      subjectType: 'user',
      subjectId: removed.user_id,
      ip: options.ip ?? null,
      details: { reason: options.reason ?? 'logout' },
    });
  }
}

/** Ends every session of a user, except optionally the one making the change. Returns how many. */
export async function destroyUserSessions(db: Kysely<DB>, userId: string, exceptIdHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) query = query.where('id_hash', '<>', exceptIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions that are past their lifetime or idle timeout (for a periodic job). */
export async function purgeExpiredSessions(db: Kysely<DB>): Promise<number> {
  const idleCutoff = new Date(Date.now() - IDLE_TIMEOUT_MS);
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
