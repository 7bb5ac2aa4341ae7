// Assets of an organisation (domains now; IP addresses, devices and people later).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import { AppError } from '../../errors.ts';
import { parseDomainName } from '../../net/domain-name.ts';
import type { OwnershipProver } from '../../ownership/prove-domain.ts';
import type { DB } from '../schema.ts';
import { requireOrganisation } from './organisations.ts';

export async function addDomain(
  db: Kysely<DB>,
  actor: Actor,
  organisationId: string,
  rawDomain: string,
  options: { allowPrivate: boolean },
) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'asset.manage');
  let domain: string;
  try {
    domain = parseDomainName(rawDomain, { allowReservedNames: options.allowPrivate });
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation') {
      throw new AppError('validation', 'errors.validation', {
        fields: [{ path: 'domain', messageKey: error.messageKey, params: error.params }],
      });
    }
    throw error;
  }
  const existing = await db
    .selectFrom('assets')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('kind', '=', 'domain')
    .where('value', '=', domain)
    .executeTakeFirst();
  if (existing) {
    throw new AppError('conflict', 'errors.domain_exists', { fields: [{ path: 'domain', messageKey: 'validation.domain_taken' }] });
  }
  const asset = await db
    .insertInto('assets')
    .values({
      organisation_id: organisation.id,
      kind: 'domain',
      value: domain,
      verification_token: `cybermonitor-verification=${randomBytes(16).toString('hex')}`,
      created_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'asset.added',
    actorUserId: actor.userId,
    subjectType: 'asset',
    subjectId: asset.id,
    organisationId: organisation.id,
    details: { kind: 'domain', value: domain },
  });
  return asset;
}

export async function listAssets(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'organisation.view');
  return db
    .selectFrom('assets')
    .select(['id', 'kind', 'value', 'verification_state', 'verification_token', 'verified_at', 'created_at'])
    .where('organisation_id', '=', organisation.id)
    .orderBy('value')
    .execute();
}

export async function requireAsset(db: Kysely<DB>, actor: Actor, organisationId: string, assetId: string, action: 'asset.manage' | 'scan.request' | 'organisation.view') {
  const organisation = await requireOrganisation(db, actor, organisationId, action);
  const asset = /^[0-9a-f-]{36}$/i.test(assetId)
    ? await db.selectFrom('assets').selectAll().where('id', '=', assetId).where('organisation_id', '=', organisation.id).executeTakeFirst()
    : undefined;
  if (!asset) throw new AppError('not_found', 'errors.not_found');
  return asset;
}

/** Checks the domain's ownership proof now; a proven domain becomes `verified`. */
export async function verifyDomainOwnership(db: Kysely<DB>, actor: Actor, organisationId: string, assetId: string, prove: OwnershipProver) {
  const asset = await requireAsset(db, actor, organisationId, assetId, 'asset.manage');
  if (asset.kind !== 'domain') throw new AppError('not_found', 'errors.not_found');
  if (asset.verification_state === 'verified') return asset;
  const method = await prove(asset.value, asset.verification_token);
  if (!method) {
    await audit(db, { action: 'asset.verification_failed', actorUserId: actor.userId, subjectType: 'asset', subjectId: asset.id, organisationId: asset.organisation_id });
    throw new AppError('validation', 'errors.ownership_not_proven', { params: { domain: asset.value, token: asset.verification_token } });
  }
  const verified = await db
    .updateTable('assets')
    .set({ verification_state: 'verified', verified_at: new Date() })
    .where('id', '=', asset.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, {
    action: 'asset.verified',
    actorUserId: actor.userId,
    subjectType: 'asset',
    subjectId: asset.id,
    organisationId: asset.organisation_id,
    details: { method },
  });
  return verified;
}

/**
 * Whether a scan of this domain may run active probes: its ownership is proven, or the company
 * consented to active scanning (attested).
 */
export async function mayProbeActively(db: Kysely<DB>, assetId: string): Promise<boolean> {
  const row = await db
    .selectFrom('assets')
    .select(['assets.verification_state'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('consents')
            .select('consents.id')
            .whereRef('consents.organisation_id', '=', 'assets.organisation_id')
            .where('consents.kind', '=', 'active_scanning')
            .where('consents.revoked_at', 'is', null),
        )
        .as('consented'),
    )
    .where('assets.id', '=', assetId)
    .executeTakeFirst();
  return row !== undefined && (row.verification_state !== 'unverified' || Boolean(row.consented));
}
