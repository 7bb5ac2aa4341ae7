// Programmes, IT partners and insurers: the frame in which organisations live.
import type { Kysely } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import { assertCanOnPlatform } from '../../authz/policy.ts';
import type { PartnerInput, ProgrammeInput } from '../../domain/inputs.ts';
import { AppError, notFound } from '../../errors.ts';
import type { DB } from '../schema.ts';

export async function createProgramme(db: Kysely<DB>, actor: Actor | 'system', input: ProgrammeInput) {
  if (actor !== 'system') assertCanOnPlatform(actor, 'programme.manage');
  const programme = await db
    .insertInto('programmes')
    .values({
      name: input.name,
      region: input.region,
      goal_companies: input.goalCompanies ?? null,
      goal_certificates: input.goalCertificates ?? null,
      goal_months: input.goalMonths ?? null,
      starts_on: input.startsOn ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'programme.created',
    actorUserId: actor === 'system' ? null : actor.userId,
    subjectType: 'programme',
    subjectId: programme.id,
  });
  return programme;
}

/** Programmes the actor works in (all of them for a platform admin). */
export async function listProgrammes(db: Kysely<DB>, actor: Actor) {
  const isAdmin = actor.grants.some((g) => g.role === 'platform_admin');
  const ids = actor.grants.map((g) => g.programmeId).filter((id): id is string => id !== null);
  const partnerIds = actor.grants.map((g) => g.partnerId).filter((id): id is string => id !== null);
  let query = db.selectFrom('programmes').selectAll().orderBy('name');
  if (!isAdmin) {
    query = query.where((eb) =>
      eb.or([
        ids.length > 0 ? eb('id', 'in', ids) : eb.lit(false),
        partnerIds.length > 0
          ? eb('id', 'in', eb.selectFrom('partners').select('programme_id').where('partners.id', 'in', partnerIds))
          : eb.lit(false),
      ]),
    );
  }
  return query.execute();
}

export async function listAllProgrammesForSystem(db: Kysely<DB>) {
  return db.selectFrom('programmes').selectAll().orderBy('name').execute();
}

function assertCoordinates(actor: Actor, programmeId: string): void {
  const ok = actor.grants.some(
    (g) => g.role === 'platform_admin' || (g.role === 'coordinator' && g.programmeId === programmeId),
  );
  if (!ok) throw notFound();
}

export async function createPartner(db: Kysely<DB>, actor: Actor, input: PartnerInput) {
  assertCanOnPlatform(actor, 'partner.manage');
  assertCoordinates(actor, input.programmeId);
  const programme = await db.selectFrom('programmes').select('id').where('id', '=', input.programmeId).executeTakeFirst();
  if (!programme) throw notFound();
  const partner = await db
    .insertInto('partners')
    .values({ programme_id: input.programmeId, name: input.name, kvk_number: input.kvkNumber ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, { action: 'partner.created', actorUserId: actor.userId, subjectType: 'partner', subjectId: partner.id });
  return partner;
}

/** Partners visible to the actor: those of programmes it coordinates, or its own partner. */
export async function listPartners(db: Kysely<DB>, actor: Actor) {
  const isAdmin = actor.grants.some((g) => g.role === 'platform_admin');
  const programmeIds = actor.grants.filter((g) => g.role === 'coordinator' || g.role === 'student').map((g) => g.programmeId as string);
  const partnerIds = actor.grants.filter((g) => g.role === 'it_partner').map((g) => g.partnerId as string);
  let query = db.selectFrom('partners').selectAll().orderBy('name');
  if (!isAdmin) {
    query = query.where((eb) =>
      eb.or([
        programmeIds.length > 0 ? eb('programme_id', 'in', programmeIds) : eb.lit(false),
        partnerIds.length > 0 ? eb('id', 'in', partnerIds) : eb.lit(false),
      ]),
    );
  }
  return query.execute();
}

export async function createInsurer(db: Kysely<DB>, actor: Actor, name: string) {
  assertCanOnPlatform(actor, 'insurer.manage');
  const existing = await db.selectFrom('insurers').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new AppError('conflict', 'errors.insurer_exists');
  const insurer = await db.insertInto('insurers').values({ name }).returningAll().executeTakeFirstOrThrow();
  await audit(db, { action: 'insurer.created', actorUserId: actor.userId, subjectType: 'insurer', subjectId: insurer.id });
  return insurer;
}

export async function listInsurers(db: Kysely<DB>) {
  return db.selectFrom('insurers').select(['id', 'name']).orderBy('name').execute();
}
