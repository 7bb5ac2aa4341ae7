// Organisations (the companies in the programme), always read and written through the
// caller's scope from src/authz/policy.ts.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import { assertCanOnPlatform, organisationScope, programmesForNewOrganisations, type OrganisationAction } from '../../authz/policy.ts';
import type { ContactInput, OrganisationInput } from '../../domain/inputs.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { scheduleMinuteFor } from '../../jobs/scheduler.ts';
import type { ConsentKind, DB, Organisation, OrganisationStatus } from '../schema.ts';

const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export async function listOrganisations(db: Kysely<DB>, actor: Actor, action: OrganisationAction = 'organisation.view') {
  return db
    .selectFrom('organisations')
    .leftJoin('partners', 'partners.id', 'organisations.it_partner_id')
    .selectAll('organisations')
    .select('partners.name as partner_name')
    .where(organisationScope(actor, action))
    .orderBy('organisations.name')
    .execute();
}

/**
 * The organisation if the actor may perform `action` on it. Not visible at all → 404 (a foreign
 * id reveals nothing); visible but the action is not the actor's → 403 without details.
 */
export async function requireOrganisation(
  db: Kysely<DB>,
  actor: Actor,
  organisationId: string,
  action: OrganisationAction = 'organisation.view',
): Promise<Organisation> {
  if (!isUuid(organisationId)) throw notFound();
  const allowed = await db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', organisationId)
    .where(organisationScope(actor, action))
    .executeTakeFirst();
  if (allowed) return allowed;
  if (action !== 'organisation.view') {
    const visible = await db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .where(organisationScope(actor, 'organisation.view'))
      .executeTakeFirst();
    if (visible) throw forbidden();
  }
  throw notFound();
}

export async function mayOnOrganisation(db: Kysely<DB>, actor: Actor, organisationId: string, action: OrganisationAction) {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', organisationId)
    .where(organisationScope(actor, action))
    .executeTakeFirst();
  return row !== undefined;
}

async function resolveProgrammeAndPartner(db: Kysely<DB>, actor: Actor, input: OrganisationInput) {
  const scope = programmesForNewOrganisations(actor);
  let programmeId = input.programmeId;
  let partnerId = input.itPartnerId;
  if (!scope.all && scope.programmeIds.length === 0 && scope.partnerIds.length > 0) {
    // An IT partner adds its own client: the organisation is its client, in its programme.
    const partner = await db
      .selectFrom('partners')
      .select(['id', 'programme_id'])
      .where('id', 'in', partnerId && scope.partnerIds.includes(partnerId) ? [partnerId] : scope.partnerIds)
      .executeTakeFirstOrThrow();
    partnerId = partner.id;
    if (programmeId && programmeId !== partner.programme_id) throw notFound();
    programmeId = partner.programme_id;
  }
  if (!programmeId) {
    const candidates = scope.all
      ? (await db.selectFrom('programmes').select('id').limit(2).execute()).map((p) => p.id)
      : scope.programmeIds;
    if (candidates.length !== 1) {
      throw new AppError('validation', 'errors.validation', { fields: [{ path: 'programmeId', messageKey: 'validation.required' }] });
    }
    programmeId = candidates[0] as string;
  }
  if (!scope.all && !scope.programmeIds.includes(programmeId) && scope.partnerIds.length === 0) throw notFound();
  const programme = await db.selectFrom('programmes').select('id').where('id', '=', programmeId).executeTakeFirst();
  if (!programme) throw notFound();
  if (partnerId) {
    const partner = await db
      .selectFrom('partners')
      .select('id')
      .where('id', '=', partnerId)
      .where('programme_id', '=', programmeId)
      .executeTakeFirst();
    if (!partner) {
      throw new AppError('validation', 'errors.validation', { fields: [{ path: 'itPartnerId', messageKey: 'validation.unknown_partner' }] });
    }
  }
  return { programmeId, partnerId };
}

async function assertStudentInProgramme(db: Kysely<DB>, studentUserId: string, programmeId: string) {
  const student = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('user_id', '=', studentUserId)
    .where('role', '=', 'student')
    .where('programme_id', '=', programmeId)
    .executeTakeFirst();
  if (!student) {
    throw new AppError('validation', 'errors.validation', { fields: [{ path: 'studentUserId', messageKey: 'validation.unknown_student' }] });
  }
}

export async function createOrganisation(db: Kysely<DB>, actor: Actor, input: OrganisationInput): Promise<Organisation> {
  assertCanOnPlatform(actor, 'organisation.create');
  const { programmeId, partnerId } = await resolveProgrammeAndPartner(db, actor, input);
  const isStudentOnly = actor.grants.every((g) => g.role === 'student');
  const studentUserId = isStudentOnly ? actor.userId : input.studentUserId;
  if (studentUserId && !isStudentOnly) await assertStudentInProgramme(db, studentUserId, programmeId);
  const duplicate = await db
    .selectFrom('organisations')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('kvk_number', '=', input.kvkNumber)
    .executeTakeFirst();
  if (duplicate) {
    throw new AppError('conflict', 'errors.organisation_exists', { fields: [{ path: 'kvkNumber', messageKey: 'validation.kvk_taken' }] });
  }
  const id = randomUUID();
  const organisation = await db
    .insertInto('organisations')
    .values({
      id,
      programme_id: programmeId,
      name: input.name,
      kvk_number: input.kvkNumber,
      sector: input.sector,
      size_class: input.sizeClass,
      street: input.street,
      postal_code: input.postalCode,
      city: input.city,
      it_partner_id: partnerId,
      student_user_id: studentUserId,
      schedule_minute: scheduleMinuteFor(id),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, { action: 'organisation.created', actorUserId: actor.userId, subjectType: 'organisation', subjectId: id, organisationId: id });
  return organisation;
}

export async function updateOrganisationStatus(db: Kysely<DB>, actor: Actor, organisationId: string, status: OrganisationStatus) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.update');
  await db.updateTable('organisations').set({ status, updated_at: new Date() }).where('id', '=', organisation.id).execute();
  await audit(db, {
    action: 'organisation.status_changed',
    actorUserId: actor.userId,
    subjectType: 'organisation',
    subjectId: organisation.id,
    organisationId: organisation.id,
    details: { from: organisation.status, to: status },
  });
}

export async function listContacts(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.view');
  return db.selectFrom('organisation_contacts').selectAll().where('organisation_id', '=', organisation.id).orderBy('role').execute();
}

export async function setContact(db: Kysely<DB>, actor: Actor, organisationId: string, input: ContactInput) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.update');
  const contact = await db
    .insertInto('organisation_contacts')
    .values({ organisation_id: organisation.id, role: input.role, name: input.name, email: input.email, phone: input.phone })
    .onConflict((oc) => oc.columns(['organisation_id', 'role']).doUpdateSet({ name: input.name, email: input.email, phone: input.phone }))
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'organisation.contact_set',
    actorUserId: actor.userId,
    subjectType: 'organisation_contact',
    subjectId: contact.id,
    organisationId: organisation.id,
    details: { role: input.role },
  });
  return contact;
}

/** Consents are given by the company itself: its director (or a platform admin on paper). */
function assertMayConsent(actor: Actor, organisationId: string) {
  const ok = actor.grants.some(
    (g) => g.role === 'platform_admin' || (g.role === 'director' && g.organisationId === organisationId),
  );
  if (!ok) throw forbidden();
}

export async function grantConsent(
  db: Kysely<DB>,
  actor: Actor,
  organisationId: string,
  consent: { kind: ConsentKind; insurerId: string | null },
) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.view');
  assertMayConsent(actor, organisation.id);
  if (consent.kind === 'insurer_data_sharing') {
    const insurer = consent.insurerId
      ? await db.selectFrom('insurers').select('id').where('id', '=', consent.insurerId).executeTakeFirst()
      : undefined;
    if (!insurer) {
      throw new AppError('validation', 'errors.validation', { fields: [{ path: 'insurerId', messageKey: 'validation.unknown_insurer' }] });
    }
  }
  const insurerId = consent.kind === 'insurer_data_sharing' ? consent.insurerId : null;
  let existingQuery = db
    .selectFrom('consents')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('kind', '=', consent.kind)
    .where('revoked_at', 'is', null);
  existingQuery = insurerId ? existingQuery.where('insurer_id', '=', insurerId) : existingQuery.where('insurer_id', 'is', null);
  const existing = await existingQuery.executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('consents')
    .values({ organisation_id: organisation.id, kind: consent.kind, insurer_id: insurerId, granted_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'consent.granted',
    actorUserId: actor.userId,
    subjectType: 'consent',
    subjectId: row.id,
    organisationId: organisation.id,
    details: { kind: consent.kind, insurerId },
  });
  return row.id;
}

export async function revokeConsent(db: Kysely<DB>, actor: Actor, organisationId: string, consentId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.view');
  assertMayConsent(actor, organisation.id);
  if (!isUuid(consentId)) throw notFound();
  const revoked = await db
    .updateTable('consents')
    .set({ revoked_at: new Date() })
    .where('id', '=', consentId)
    .where('organisation_id', '=', organisation.id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!revoked) throw notFound();
  await audit(db, { action: 'consent.revoked', actorUserId: actor.userId, subjectType: 'consent', subjectId: consentId, organisationId: organisation.id });
}

export async function listConsents(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.view');
  return db
    .selectFrom('consents')
    .leftJoin('insurers', 'insurers.id', 'consents.insurer_id')
    .select(['consents.id', 'consents.kind', 'consents.insurer_id', 'insurers.name as insurer_name', 'consents.granted_at', 'consents.revoked_at'])
    .where('consents.organisation_id', '=', organisation.id)
    .orderBy('consents.granted_at', 'desc')
    .execute();
}
