// Reading check results: current state per asset and check, and recent history.
import type { Kysely } from 'kysely';
import type { Actor } from '../../authz/actor.ts';
import type { DB } from '../schema.ts';
import { requireOrganisation } from './organisations.ts';

export async function listCurrentResults(db: Kysely<DB>, actor: Actor, organisationId: string) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'results.view');
  return db
    .selectFrom('check_results')
    .innerJoin('assets', 'assets.id', 'check_results.asset_id')
    .select([
      'check_results.asset_id',
      'assets.value as asset',
      'check_results.check_id',
      'check_results.check_version',
      'check_results.status',
      'check_results.severity',
      'check_results.summary_key',
      'check_results.summary_params',
      'check_results.details',
      'check_results.previous_status',
      'check_results.first_seen_at',
      'check_results.last_seen_at',
      'check_results.resolved_at',
    ])
    .where('check_results.organisation_id', '=', organisation.id)
    .orderBy('assets.value')
    .orderBy('check_results.check_id')
    .execute();
}

export async function listRecentScans(db: Kysely<DB>, actor: Actor, organisationId: string, limit = 20) {
  const organisation = await requireOrganisation(db, actor, organisationId, 'results.view');
  return db
    .selectFrom('scans')
    .innerJoin('assets', 'assets.id', 'scans.asset_id')
    .select(['scans.id', 'assets.value as asset', 'scans.trigger', 'scans.status', 'scans.started_at', 'scans.finished_at', 'scans.error'])
    .where('scans.organisation_id', '=', organisation.id)
    .orderBy('scans.started_at', 'desc')
    .limit(limit)
    .execute();
}
