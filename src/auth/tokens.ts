// Single-use tokens for first setup, invitations and password resets. The raw token goes into
// a link; only its SHA-256 is stored. Consuming is one atomic UPDATE, so two clicks on the same
// link (or two racing requests) can never both succeed.
import { sql, type Kysely } from 'kysely';
import type { DB, TokenPurpose } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { randomSecret, sha256Hex } from './secrets.ts';

export interface TokenRow {
  tokenHash: string;
  purpose: TokenPurpose;
  userId: string | null;
  data: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface IssueTokenOptions {
  purpose: TokenPurpose;
  userId?: string | null;
  createdBy?: string | null;
  ttlMs: number;
  data?: Record<string, unknown>;
}

// A raw token is 43 base64url characters; anything else is refused before it reaches the database.
const RAW_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const invalidToken = (): AppError => new AppError('invalid_token', 'auth.token_invalid');

export async function issueToken(db: Kysely<DB>, options: IssueTokenOptions): Promise<string> {
  if (!(options.ttlMs > 0)) throw new Error('issueToken: ttlMs must be positive');
  const raw = randomSecret();
  await db
    .insertInto('one_time_tokens')
    .values({
      token_hash: sha256Hex(raw),
      purpose: options.purpose,
      user_id: options.userId ?? null,
      created_by: options.createdBy ?? null,
      data: JSON.stringify(options.data ?? {}),
      expires_at: new Date(Date.now() + options.ttlMs),
    })
    .execute();
  return raw;
}

interface StoredToken {
  token_hash: string;
  purpose: TokenPurpose;
  user_id: string | null;
  data: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
}

const toTokenRow = (row: StoredToken): TokenRow => ({
  tokenHash: row.token_hash,
  purpose: row.purpose,
  userId: row.user_id,
  data: row.data,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** Marks the token used and returns it; throws invalid_token when unknown, used, expired or of another purpose. */
export async function consumeToken(db: Kysely<DB>, rawToken: string, purpose: TokenPurpose): Promise<TokenRow> {
  if (typeof rawToken !== 'string' || !RAW_TOKEN.test(rawToken)) throw invalidToken();
  const result = await sql<StoredToken>`
    UPDATE one_time_tokens SET used_at = now()
    WHERE token_hash = ${sha256Hex(rawToken)} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > now()
    RETURNING token_hash, purpose, user_id, data, created_by, created_at, expires_at`.execute(db);
  const row = result.rows[0];
  if (!row) throw invalidToken();
  return toTokenRow(row);
}

/** The token if it would be accepted now, without using it up (to decide whether to show a form). */
export async function peekToken(db: Kysely<DB>, rawToken: string, purpose: TokenPurpose): Promise<TokenRow | null> {
  if (typeof rawToken !== 'string' || !RAW_TOKEN.test(rawToken)) return null;
  const row = await db
    .selectFrom('one_time_tokens')
    .select(['token_hash', 'purpose', 'user_id', 'data', 'created_by', 'created_at', 'expires_at'])
    .where('token_hash', '=', sha256Hex(rawToken))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? toTokenRow(row) : null;
}

/** Retires a user's open tokens of one purpose (an older reset link stops working once a newer one is sent). */
export async function revokeOpenTokens(db: Kysely<DB>, purpose: TokenPurpose, userId: string | null): Promise<number> {
  let query = db
    .updateTable('one_time_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null);
  query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes tokens that expired more than a day ago (kept a little while for the audit trail). */
export async function purgeExpiredTokens(db: Kysely<DB>): Promise<number> {
  const result = await db
    .deleteFrom('one_time_tokens')
    .where('expires_at', '<', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
