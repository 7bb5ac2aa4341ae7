// The certificate registry. The monthly job (system code) moves certificates through their
// lifecycle; people read, approve and revoke them through their scope (src/authz); the public
// sees only what the company agreed to publish. Every state change is audited.
import type { Kysely, Transaction } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import type { CertificateIssuer } from '../../certificates/issuer.ts';
import { signCertificate } from '../../certificates/issuer.ts';
import { liveStates, validStates, validUntilFor, type CertificateState } from '../../certificates/lifecycle.ts';
import { AppError, notFound } from '../../errors.ts';
import type { NormSet } from '../../norm/load.ts';
import type { DB } from '../schema.ts';
import type { OrganisationAction } from '../../authz/policy.ts';
import { requireOrganisation } from './organisations.ts';

const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const summaryColumns = [
  'certificates.id',
  'certificates.organisation_id',
  'certificates.norm_id',
  'certificates.norm_version',
  'certificates.level',
  'certificates.state',
  'certificates.earned_in_month',
  'certificates.valid_from',
  'certificates.valid_until',
  'certificates.measured_areas',
  'certificates.not_measured_areas',
  'certificates.previous_certificate_id',
  'certificates.key_id',
  'certificates.issued_at',
  'certificates.approved_at',
  'certificates.revoked_at',
  'certificates.revocation_reason',
  'certificates.warned_at',
  'certificates.ended_at',
] as const;

// --- system: the lifecycle --------------------------------------------------------------------

export async function liveCertificate(trx: Kysely<DB>, organisationId: string) {
  return trx
    .selectFrom('certificates')
    .select(['id', 'state', 'valid_until'])
    .where('organisation_id', '=', organisationId)
    .where('state', 'in', [...liveStates])
    .executeTakeFirst();
}

/** The month of the company's latest revocation: months up to it never count toward a new streak. */
export async function lastRevocationMonth(trx: Kysely<DB>, organisationId: string, timezone: string): Promise<string | null> {
  const row = await trx
    .selectFrom('certificates')
    .select('revoked_at')
    .where('organisation_id', '=', organisationId)
    .where('state', '=', 'revoked')
    .orderBy('revoked_at', 'desc')
    .executeTakeFirst();
  if (!row?.revoked_at) return null;
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).format(row.revoked_at).slice(0, 7);
}

export interface TransitionContext {
  trx: Transaction<DB>;
  organisationId: string;
  actorUserId: string | null;
  now: Date;
  details?: Record<string, unknown>;
}

export async function recordTransition(context: TransitionContext, certificateId: string, from: CertificateState | null, to: CertificateState) {
  await audit(context.trx, {
    action: `certificate.${to}`,
    actorUserId: context.actorUserId,
    subjectType: 'certificate',
    subjectId: certificateId,
    organisationId: context.organisationId,
    details: { from, to, ...context.details },
  });
}

export async function changeState(context: TransitionContext, certificateId: string, from: CertificateState, to: CertificateState, extra: Partial<{ warned_at: Date | null; ended_at: Date }> = {}) {
  await context.trx
    .updateTable('certificates')
    .set({ state: to, updated_at: context.now, ...extra })
    .where('id', '=', certificateId)
    .where('state', '=', from)
    .execute();
  await recordTransition(context, certificateId, from, to);
}

/** Keeps the organisation's programme status in step with its certificate. */
export async function syncOrganisationStatus(context: TransitionContext, certified: boolean) {
  const organisation = await context.trx.selectFrom('organisations').select(['status']).where('id', '=', context.organisationId).executeTakeFirstOrThrow();
  const to = certified ? 'gecertificeerd' : organisation.status === 'gecertificeerd' ? 'gemonitord' : organisation.status;
  if (to === organisation.status) return;
  await context.trx.updateTable('organisations').set({ status: to, updated_at: context.now }).where('id', '=', context.organisationId).execute();
  await audit(context.trx, {
    action: 'organisation.status_changed',
    actorUserId: context.actorUserId,
    subjectType: 'organisation',
    subjectId: context.organisationId,
    organisationId: context.organisationId,
    details: { from: organisation.status, to, because: 'certificate' },
  });
}

// --- people -------------------------------------------------------------------------------------

export async function listCertificates(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'certificate.view');
  return db
    .selectFrom('certificates')
    .select([...summaryColumns])
    .where('organisation_id', '=', organisation.id)
    .orderBy('created_at', 'desc')
    .execute();
}

/** A certificate the actor may act on; a certificate of a company outside the scope is 404. */
export async function requireCertificate(db: Kysely<DB>, actor: Actor, certificateId: string, action: OrganisationAction) {
  if (!isUuid(certificateId)) throw notFound();
  const row = await db.selectFrom('certificates').select([...summaryColumns]).where('id', '=', certificateId).executeTakeFirst();
  if (!row) throw notFound();
  await requireOrganisation(db, actor, row.organisation_id, action);
  return row;
}

export async function certificateFiles(db: Kysely<DB>, actor: Actor, certificateId: string) {
  const certificate = await requireCertificate(db, actor, certificateId, 'certificate.view');
  const row = await db.selectFrom('certificates').select(['statement', 'signature', 'key_id', 'document']).where('id', '=', certificate.id).executeTakeFirstOrThrow();
  if (!row.document || !row.statement || !row.signature || !row.key_id) throw notFound();
  return {
    certificate,
    // PGlite hands bytea out as a Uint8Array, pg as a Buffer.
    pdf: Buffer.from(row.document.buffer, row.document.byteOffset, row.document.byteLength),
    signedStatement: { statement: row.statement, signature: { alg: 'Ed25519' as const, keyId: row.key_id, value: row.signature } },
  };
}

export async function revokeCertificate(db: Kysely<DB>, actor: Actor, certificateId: string, reason: string, now: Date = new Date()) {
  const certificate = await requireCertificate(db, actor, certificateId, 'certificate.revoke');
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 1000) {
    throw new AppError('validation', 'errors.validation', { fields: [{ path: 'reason', messageKey: 'norm.validation.reason' }] });
  }
  const revocable: CertificateState[] = [...liveStates, 'renewed'];
  if (!revocable.includes(certificate.state)) throw new AppError('conflict', 'norm.errors.certificate_not_revocable');
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('certificates')
      .set({ state: 'revoked', revoked_at: now, revoked_by: actor.userId, revocation_reason: trimmed, ended_at: now, updated_at: now })
      .where('id', '=', certificate.id)
      .where('state', '=', certificate.state)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'norm.errors.certificate_not_revocable');
    const context = { trx, organisationId: certificate.organisation_id, actorUserId: actor.userId, now, details: { reason: trimmed } };
    await recordTransition(context, certificate.id, certificate.state, 'revoked');
    if (certificate.state !== 'renewed') await syncOrganisationStatus(context, false);
  });
}

/** A coordinator approves a pending certificate: it is dated from today (or later) and signed. */
export async function approveCertificate(
  db: Kysely<DB>,
  actor: Actor,
  certificateId: string,
  options: { issuer: CertificateIssuer; norms: NormSet; today: string; now?: Date },
) {
  const certificate = await requireCertificate(db, actor, certificateId, 'certificate.approve');
  if (certificate.state !== 'pending_approval') throw new AppError('conflict', 'norm.errors.certificate_not_pending');
  const key = await options.issuer.signingKey();
  const now = options.now ?? new Date();
  const norm = options.norms.byVersion(certificate.norm_version) ?? options.norms.latest();
  const validFrom = certificate.valid_from > options.today ? certificate.valid_from : options.today;
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('certificates')
      .set({ approved_by: actor.userId, approved_at: now, valid_from: validFrom, valid_until: validUntilFor(validFrom, norm.certificate), updated_at: now })
      .where('id', '=', certificate.id)
      .where('state', '=', 'pending_approval')
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new AppError('conflict', 'norm.errors.certificate_not_pending');
    await signCertificate(trx, certificate.id, { key, publicUrl: options.issuer.publicUrl, norms: options.norms, now });
    const context = { trx, organisationId: certificate.organisation_id, actorUserId: actor.userId, now, details: { approved: true } };
    await recordTransition(context, certificate.id, 'pending_approval', 'issued');
    await syncOrganisationStatus(context, true);
  });
}

// --- the public ---------------------------------------------------------------------------------

export interface PublicCertificate {
  id: string;
  state: CertificateState;
  /** Valid on the given day: a valid state and the day between its dates. */
  validNow: boolean;
  validFrom: string;
  validUntil: string;
  programme: string;
  level: string;
  norm: { id: string; version: string };
  measuredAreas: string[];
  /** Only when the company consents to publishing its certificate. */
  company: { name: string; city: string | null } | null;
}

/** What anyone may see about a certificate; null for unknown ids and certificates never issued. */
export async function publicCertificate(db: Kysely<DB>, certificateId: string, today: string): Promise<PublicCertificate | null> {
  if (!isUuid(certificateId)) return null;
  const row = await db
    .selectFrom('certificates')
    .innerJoin('organisations', 'organisations.id', 'certificates.organisation_id')
    .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
    .select([
      'certificates.id',
      'certificates.state',
      'certificates.valid_from',
      'certificates.valid_until',
      'certificates.level',
      'certificates.norm_id',
      'certificates.norm_version',
      'certificates.measured_areas',
      'certificates.issued_at',
      'organisations.name',
      'organisations.city',
      'programmes.name as programme_name',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('consents')
            .select('consents.id')
            .whereRef('consents.organisation_id', '=', 'organisations.id')
            .where('consents.kind', '=', 'public_certificate')
            .where('consents.revoked_at', 'is', null),
        )
        .as('published'),
    )
    .where('certificates.id', '=', certificateId)
    .executeTakeFirst();
  if (!row || !row.issued_at) return null;
  const inDates = row.valid_from <= today && today <= row.valid_until;
  const state: CertificateState = validStates.includes(row.state) && row.valid_until < today ? 'expired' : row.state;
  return {
    id: row.id,
    state,
    validNow: validStates.includes(state) && inDates,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    programme: row.programme_name,
    level: row.level,
    norm: { id: row.norm_id, version: row.norm_version },
    measuredAreas: row.measured_areas as string[],
    company: row.published ? { name: row.name, city: row.city } : null,
  };
}
