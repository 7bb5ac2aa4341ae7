// "Forgot password": a single-use link (1 hour) mailed to an active account. The answer to the
// requester is the same whether the address exists or not, and the mail goes out without being
// waited for, so neither the reply nor its timing tells who has an account.
import type { Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { parseInput } from '../domain/parse-input.ts';
import type { Mailer } from '../mail/mailer.ts';
import { passwordResetMail } from '../mail/messages.ts';
import { newPasswordInput } from './inputs.ts';
import { hashPassword } from './passwords.ts';
import { destroyUserSessions } from './sessions.ts';
import { consumeToken, invalidToken, issueToken, revokeOpenTokens } from './tokens.ts';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

export interface PasswordResetRequest {
  /** Settles when the mail was handed over (or failed, which is audited); never rejects. */
  mailSent: Promise<void>;
}

export async function requestPasswordReset(
  db: Kysely<DB>,
  email: string,
  deps: { mailer: Mailer; publicUrl: string; ip?: string | null },
): Promise<PasswordResetRequest> {
  const ip = deps.ip ?? null;
  const address = String(email ?? '').trim().toLowerCase().slice(0, 254);
  const user = address
    ? await db.selectFrom('users').select(['id', 'email', 'name', 'language', 'status']).where('email', '=', address).executeTakeFirst()
    : undefined;
  if (!user || user.status !== 'active') {
    await audit(db, {
      action: 'password.reset_requested',
      subjectType: user ? 'user' : undefined,
      subjectId: user?.id,
      ip,
      details: { email: address, sent: false, reason: user ? `status_${user.status}` : 'unknown_email' },
    });
    return { mailSent: Promise.resolve() };
  }

  const token = await db.transaction().execute(async (trx) => {
    // Only the newest link works.
    await revokeOpenTokens(trx, 'password_reset', user.id);
    return issueToken(trx, { purpose: 'password_reset', userId: user.id, ttlMs: PASSWORD_RESET_TTL_MS });
  });
  await audit(db, { action: 'password.reset_requested', subjectType: 'user', subjectId: user.id, ip, details: { sent: true } });

  const link = `${deps.publicUrl.replace(/\/+$/, '')}/reset-password?token=${encodeURIComponent(token)}`;
  const mailSent = deps.mailer
    .send(passwordResetMail({ to: user.email, name: user.name, language: user.language, link }))
    .catch(async (error: unknown) => {
      await audit(db, {
        action: 'mail.failed',
        subjectType: 'user',
        subjectId: user.id,
        details: { purpose: 'password_reset', error: error instanceof Error ? error.message.slice(0, 500) : String(error) },
      }).catch(() => {});
    });
  return { mailSent };
}

/** Sets a new password through a reset link; every session of the user ends. Returns the user id. */
export async function resetPassword(
  db: Kysely<DB>,
  rawToken: string,
  newPassword: string,
  options: { ip?: string | null } = {},
): Promise<string> {
  const { password } = parseInput(newPasswordInput, { password: newPassword });
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const token = await consumeToken(trx, rawToken, 'password_reset');
    if (!token.userId) throw invalidToken();
    const updated = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
      .where('id', '=', token.userId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw invalidToken();
    await revokeOpenTokens(trx, 'password_reset', token.userId);
    const sessionsEnded = await destroyUserSessions(trx, token.userId);
    await audit(trx, {
      action: 'password.reset',
      actorUserId: token.userId,
      subjectType: 'user',
      subjectId: token.userId,
      ip: options.ip ?? null,
      details: { sessionsEnded },
    });
    return token.userId;
  });
}
