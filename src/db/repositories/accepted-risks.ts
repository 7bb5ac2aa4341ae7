// Accepted risks: a company's director accepts the risk of an advisory control not being met,
// with a reason and an expiry. A mandatory control can never be accepted. Scoped by src/authz.
import type { Kysely } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import { AppError, notFound } from '../../errors.ts';
import { addMonths } from '../../norm/calendar.ts';
import type { Norm } from '../../norm/types.ts';
import type { DB } from '../schema.ts';
import { requireOrganisation } from './organisations.ts';

export interface AcceptRiskInput {
  controlId: string;
  reason: string;
  /** YYYY-MM-DD, after today and at most twelve months ahead. */
  expiresOn: string;
}

/** Longest an acceptance lasts before it must be looked at again. */
export const maxAcceptanceMonths = 12;

const invalid = (path: string, messageKey: string) => new AppError('validation', 'errors.validation', { fields: [{ path, messageKey }] });

export async function acceptRisk(db: Kysely<DB>, actor: Actor, organisationId: string, input: AcceptRiskInput, norm: Norm, today: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'risk.accept');
  const control = norm.controls.find((c) => c.id === input.controlId);
  if (!control) throw invalid('controlId', 'norm.validation.unknown_control');
  if (control.level !== 'advisory') throw invalid('controlId', 'norm.validation.mandatory_control');
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 2000) throw invalid('reason', 'norm.validation.reason');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn) || Number.isNaN(Date.parse(input.expiresOn))) throw invalid('expiresOn', 'norm.validation.date');
  const latest = `${addMonths(today.slice(0, 7), maxAcceptanceMonths)}${today.slice(7)}`;
  if (input.expiresOn <= today || input.expiresOn > latest) throw invalid('expiresOn', 'norm.validation.acceptance_expiry');
  const existing = await db
    .selectFrom('accepted_risks')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('control_id', '=', control.id)
    .where('withdrawn_at', 'is', null)
    .where('expires_on', '>=', today)
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', 'norm.errors.risk_already_accepted');
  // An expired acceptance is closed before a new one is opened (one open row per control).
  await db
    .updateTable('accepted_risks')
    .set({ withdrawn_at: new Date() })
    .where('organisation_id', '=', organisation.id)
    .where('control_id', '=', control.id)
    .where('withdrawn_at', 'is', null)
    .execute();
  const row = await db
    .insertInto('accepted_risks')
    .values({ organisation_id: organisation.id, control_id: control.id, reason, accepted_by: actor.userId, expires_on: input.expiresOn })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'risk.accepted',
    actorUserId: actor.userId,
    subjectType: 'accepted_risk',
    subjectId: row.id,
    organisationId: organisation.id,
    details: { controlId: control.id, expiresOn: input.expiresOn, normVersion: norm.version },
  });
  return row;
}

export async function withdrawRisk(db: Kysely<DB>, actor: Actor, organisationId: string, riskId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'risk.accept');
  if (!/^[0-9a-f-]{36}$/i.test(riskId)) throw notFound();
  const row = await db
    .updateTable('accepted_risks')
    .set({ withdrawn_at: new Date(), withdrawn_by: actor.userId })
    .where('id', '=', riskId)
    .where('organisation_id', '=', organisation.id)
    .where('withdrawn_at', 'is', null)
    .returning(['id', 'control_id'])
    .executeTakeFirst();
  if (!row) throw notFound();
  await audit(db, { action: 'risk.withdrawn', actorUserId: actor.userId, subjectType: 'accepted_risk', subjectId: row.id, organisationId: organisation.id, details: { controlId: row.control_id } });
}

/** Open acceptances (also expired ones, marked by date) for those who may see the results. */
export async function listAcceptedRisks(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'results.view');
  return db
    .selectFrom('accepted_risks')
    .leftJoin('users', 'users.id', 'accepted_risks.accepted_by')
    .select([
      'accepted_risks.id',
      'accepted_risks.control_id',
      'accepted_risks.reason',
      'accepted_risks.accepted_at',
      'accepted_risks.expires_on',
      'users.name as accepted_by_name',
    ])
    .where('accepted_risks.organisation_id', '=', organisation.id)
    .where('accepted_risks.withdrawn_at', 'is', null)
    .orderBy('accepted_risks.control_id')
    .execute();
}

/** Controls with an acceptance in force on `date` (system code: the score and the monthly job). */
export async function acceptedControlIds(db: Kysely<DB>, organisationId: string, date: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('accepted_risks')
    .select('control_id')
    .where('organisation_id', '=', organisationId)
    .where('expires_on', '>=', date)
    .where((eb) => eb.or([eb('withdrawn_at', 'is', null), eb('withdrawn_at', '>', new Date(`${date}T23:59:59Z`))]))
    .where('accepted_at', '<', new Date(`${date}T23:59:59Z`))
    .execute();
  return new Set(rows.map((r) => r.control_id));
}
