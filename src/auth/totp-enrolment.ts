// Setting up the authenticator app. The new secret is kept in users.totp_secret while
// totp_enabled_at is still null (pending); only a correct code from the app switches it on. An
// enrolled user cannot enrol again through here: replacing a second factor is an admin reset.
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newTotpSecret, totpQrSvg, totpUri, verifyTotp } from './totp.ts';

const alreadyEnrolled = (): AppError => new AppError('conflict', 'auth.totp_already_enabled');

async function loadEnrollingUser(db: Kysely<DB>, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'status', 'totp_secret', 'totp_enabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active') throw new AppError('unauthenticated', 'errors.unauthenticated');
  if (user.totp_enabled_at) throw alreadyEnrolled();
  return user;
}

export async function beginTotpEnrolment(db: Kysely<DB>, userId: string): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const user = await loadEnrollingUser(db, userId);
  const secret = newTotpSecret();
  const result = await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_last_step: null })
    .where('id', '=', user.id)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw alreadyEnrolled();
  const uri = totpUri(user.email, secret);
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

export async function confirmTotpEnrolment(
  db: Kysely<DB>,
  userId: string,
  code: string,
  options: { ip?: string | null } = {},
): Promise<void> {
  const ip = options.ip ?? null;
  const user = await loadEnrollingUser(db, userId);
  const step = user.totp_secret ? await verifyTotp(user.totp_secret, String(code ?? '')) : null;
  if (step === null) {
    await audit(db, { action: 'totp.failed', actorUserId: user.id, subjectType: 'user', subjectId: user.id, ip, details: { during: 'enrolment' } });
    throw new AppError('unauthenticated', 'auth.totp_invalid');
  }
  // Only the secret that was checked is switched on (a second "begin" in another tab replaces it).
  const result = await db
    .updateTable('users')
    .set({ totp_enabled_at: sql<Date>`now()`, totp_last_step: step })
    .where('id', '=', user.id)
    .where('totp_enabled_at', 'is', null)
    .where('totp_secret', '=', user.totp_secret)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('unauthenticated', 'auth.totp_invalid');
  await audit(db, { action: 'totp.enrolled', actorUserId: user.id, subjectType: 'user', subjectId: user.id, ip });
}
