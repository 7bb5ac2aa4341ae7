// Inviting people: a user (new, or the existing account with that email), the membership that
// says what they may see, and a single-use link (7 days) with which they choose a password.
// The caller checks assertMayGrant first; it is checked here once more, because handing out
// access is the one thing that must never slip through.
import type { Kysely } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import type { Actor } from '../authz/actor.ts';
import { assertMayGrant } from '../authz/policy.ts';
import type { DB } from '../db/schema.ts';
import { parseInput } from '../domain/parse-input.ts';
import type { InvitationInput } from '../domain/inputs.ts';
import { AppError } from '../errors.ts';
import type { Language } from '../i18n/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { invitationMail } from '../mail/messages.ts';
import { acceptInvitationInput, type AcceptInvitationInput } from './inputs.ts';
import { hashPassword } from './passwords.ts';
import { destroyUserSessions } from './sessions.ts';
import { consumeToken, invalidToken, issueToken } from './tokens.ts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type GrantFacts = Parameters<typeof assertMayGrant>[2];

export interface CreatedInvitation {
  userId: string;
  membershipId: string;
  /** Raw token for the link `${publicUrl}/invitation?token=…` (the route is the caller's). */
  token: string;
  /** False when the email already belonged to an account; its new membership is effective at once. */
  newUser: boolean;
}

/** Database refusals that mean "this request does not fit", not "the server broke". */
function translateConstraintError(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23514') {
    throw new AppError('validation', 'errors.validation', { fields: [{ path: 'role', messageKey: 'validation.role_scope' }], cause: error });
  }
  if (code === '23503') {
    throw new AppError('validation', 'errors.validation', { fields: [{ path: 'role', messageKey: 'validation.invalid_id' }], cause: error });
  }
  throw error;
}

export async function createInvitation(
  db: Kysely<DB>,
  invitedBy: Actor,
  input: InvitationInput,
  facts: GrantFacts = {},
  options: { ip?: string | null } = {},
): Promise<CreatedInvitation> {
  const request = {
    role: input.role,
    programmeId: input.programmeId,
    partnerId: input.partnerId,
    insurerId: input.insurerId,
    organisationId: input.organisationId,
  };
  assertMayGrant(invitedBy, request, facts);
  const email = input.email.trim().toLowerCase();

  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select(['id', 'status']).where('email', '=', email).forUpdate().executeTakeFirst();
    if (existing?.status === 'disabled') throw new AppError('conflict', 'auth.user_disabled');
    const userId =
      existing?.id ??
      (
        await trx
          .insertInto('users')
          .values({ email, name: input.name, language: input.language, status: 'invited' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;

    const membership = await trx
      .insertInto('memberships')
      .values({
        user_id: userId,
        role: input.role,
        programme_id: input.programmeId ?? null,
        partner_id: input.partnerId ?? null,
        insurer_id: input.insurerId ?? null,
        organisation_id: input.organisationId ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
      .catch(translateConstraintError);
    if (!membership) throw new AppError('conflict', 'auth.membership_exists');

    const token = await issueToken(trx, {
      purpose: 'invitation',
      userId,
      createdBy: invitedBy.userId,
      ttlMs: INVITATION_TTL_MS,
      data: { membershipId: membership.id, role: input.role },
    });
    await audit(trx, {
      action: 'invitation.created',
      actorUserId: invitedBy.userId,
      subjectType: 'user',
      subjectId: userId,
      organisationId: input.organisationId ?? null,
      ip: options.ip ?? null,
      details: { email, membershipId: membership.id, ...request, newUser: !existing },
    });
    return { userId, membershipId: membership.id, token, newUser: !existing };
  });
}

/**
 * Uses the invitation link: sets the chosen password and activates the account. For an account
 * that was already active this is a password change through a mailed link, like a reset, so its
 * other sessions end.
 */
export async function acceptInvitation(
  db: Kysely<DB>,
  rawToken: string,
  input: AcceptInvitationInput,
  options: { ip?: string | null } = {},
): Promise<string> {
  const values = parseInput(acceptInvitationInput, input);
  const passwordHash = await hashPassword(values.password);
  return db.transaction().execute(async (trx) => {
    const token = await consumeToken(trx, rawToken, 'invitation');
    if (!token.userId) throw invalidToken();
    const user = await trx.selectFrom('users').select(['id', 'status']).where('id', '=', token.userId).forUpdate().executeTakeFirst();
    if (!user || user.status === 'disabled') throw invalidToken();
    await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        status: 'active',
        failed_logins: 0,
        locked_until: null,
        ...(values.name ? { name: values.name } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    if (user.status === 'active') await destroyUserSessions(trx, user.id);
    await audit(trx, {
      action: 'invitation.accepted',
      actorUserId: user.id,
      subjectType: 'user',
      subjectId: user.id,
      ip: options.ip ?? null,
      details: { membershipId: token.data.membershipId ?? null, wasActive: user.status === 'active' },
    });
    return user.id;
  });
}

export async function sendInvitationMail(
  mailer: Mailer,
  input: { to: string; name: string; language: Language; link: string; inviterName: string },
): Promise<void> {
  await mailer.send(invitationMail(input));
}
