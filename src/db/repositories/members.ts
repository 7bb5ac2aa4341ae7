// Handing out memberships: looks up the facts that src/authz needs to decide, through the
// caller's own scope, then lets the invitation service create the user and its link.
import type { Kysely } from 'kysely';
import { createInvitation, sendInvitationMail } from '../../auth/invitations.ts';
import type { Actor } from '../../authz/actor.ts';
import { assertMayGrant, isOrganisationRole } from '../../authz/policy.ts';
import { isReservedAccountEmail } from '../../authz/system-operator.ts';
import type { InvitationInput } from '../../domain/inputs.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { DB } from '../schema.ts';
import { requireOrganisation } from './organisations.ts';

const missing = (path: string) =>
  new AppError('validation', 'errors.validation', { fields: [{ path, messageKey: 'validation.required' }] });

/** Each role needs exactly its own scope; anything else in the request is an input error. */
function assertScopeShape(input: InvitationInput): void {
  switch (input.role) {
    case 'coordinator':
    case 'student':
      if (!input.programmeId) throw missing('programmeId');
      break;
    case 'it_partner':
      if (!input.partnerId) throw missing('partnerId');
      break;
    case 'insurer':
      if (!input.insurerId) throw missing('insurerId');
      break;
    case 'platform_admin':
      break;
    default:
      if (!input.organisationId) throw missing('organisationId');
  }
}

export async function inviteMember(
  db: Kysely<DB>,
  actor: Actor,
  input: InvitationInput,
  delivery: { mailer: Mailer; publicUrl: string },
) {
  assertScopeShape(input);
  if (isReservedAccountEmail(input.email)) {
    throw new AppError('validation', 'errors.validation', { fields: [{ path: 'email', messageKey: 'validation.email' }] });
  }
  const facts: { organisationProgrammeId?: string | null; organisationPartnerId?: string | null; partnerProgrammeId?: string | null } = {};
  const request = {
    role: input.role,
    programmeId: input.role === 'coordinator' || input.role === 'student' ? input.programmeId : null,
    partnerId: input.role === 'it_partner' ? input.partnerId : null,
    insurerId: input.role === 'insurer' ? input.insurerId : null,
    organisationId: isOrganisationRole(input.role) ? input.organisationId : null,
  };
  if (request.organisationId) {
    const organisation = await requireOrganisation(db, actor, request.organisationId, 'members.invite');
    facts.organisationProgrammeId = organisation.programme_id;
    facts.organisationPartnerId = organisation.it_partner_id;
  }
  if (request.partnerId) {
    const partner = await db.selectFrom('partners').select(['programme_id']).where('id', '=', request.partnerId).executeTakeFirst();
    if (!partner) throw notFound();
    facts.partnerProgrammeId = partner.programme_id;
  }
  if (request.programmeId) {
    const programme = await db.selectFrom('programmes').select('id').where('id', '=', request.programmeId).executeTakeFirst();
    if (!programme) throw notFound();
  }
  if (request.insurerId) {
    const insurer = await db.selectFrom('insurers').select('id').where('id', '=', request.insurerId).executeTakeFirst();
    if (!insurer) throw notFound();
  }
  assertMayGrant(actor, request, facts);
  const invitation = await createInvitation(db, actor, { ...input, ...request }, facts);
  const link = `${delivery.publicUrl}/invitation?token=${encodeURIComponent(invitation.token)}`;
  await sendInvitationMail(delivery.mailer, { to: input.email, name: input.name, language: input.language, link, inviterName: actor.name });
  return { userId: invitation.userId, membershipId: invitation.membershipId, link };
}
