// Assets of an organisation (domains now; IP addresses, devices and people later).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../authz/actor.ts';
import { AppError } from '../../errors.ts';
import { parseDomainName } from '../../net/domain-name.ts';
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
