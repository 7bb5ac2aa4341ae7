// A simulated programme: companies with daily results over many months, written to the real
// tables (scans + check_result_history) the way the scan job stores them, so the monthly job
// reads exactly what it reads in production.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CheckStatus } from '../../src/checks/types.ts';
import type { DB } from '../../src/db/schema.ts';
import { addDays, startOfLocalDate } from '../../src/norm/calendar.ts';

export const TIMEZONE = 'Europe/Amsterdam';
let kvk = 30_000_000;

export async function createProgramme(db: Kysely<DB>, options: { approvalRequired?: boolean; name?: string } = {}) {
  const row = await db
    .insertInto('programmes')
    .values({ name: options.name ?? 'Cyberveilig Simulatiedorp', region: 'Simulatiedorp', certificate_approval_required: options.approvalRequired ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createCompany(db: Kysely<DB>, programmeId: string, name: string, options: { domains?: string[]; joined?: string } = {}) {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      programme_id: programmeId,
      name,
      kvk_number: String(kvk++),
      schedule_minute: 180,
      status: 'gemonitord',
      created_at: startOfLocalDate(options.joined ?? '2027-01-01', TIMEZONE),
    })
    .execute();
  const assetIds: string[] = [];
  for (const domain of options.domains ?? [`${name.toLowerCase().replace(/[^a-z]/g, '')}.nl`]) {
    const asset = await db
      .insertInto('assets')
      .values({ organisation_id: id, kind: 'domain', value: domain, verification_token: randomBytes(8).toString('hex'), verification_state: 'verified' })
      .returning('id')
      .executeTakeFirstOrThrow();
    assetIds.push(asset.id);
  }
  return { id, assetIds };
}

/** What a check said on an asset on a day; null: that asset was not scanned that day. */
export type DailyOutcome = (day: string, assetIndex: number) => Partial<Record<string, CheckStatus>> | null;

/**
 * Writes one completed scan per asset and day (at 03:00 local time) with its results in the
 * history, and the latest result per check as current state, from `from` to `to` inclusive.
 */
export async function writeDailyResults(
  db: Kysely<DB>,
  company: { id: string; assetIds: string[] },
  from: string,
  to: string,
  outcome: DailyOutcome,
  options: { at?: (day: string) => Date } = {},
) {
  const scans: Array<{ id: string; organisation_id: string; asset_id: string; trigger: 'schedule'; status: 'completed'; started_at: Date; finished_at: Date }> = [];
  const history: Array<{ organisation_id: string; asset_id: string; check_id: string; check_version: number; scan_id: string; status: CheckStatus; severity: string; summary_key: string; observed_at: Date }> = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const at = options.at?.(day) ?? new Date(startOfLocalDate(day, TIMEZONE).getTime() + 3 * 3600_000);
    company.assetIds.forEach((assetId, index) => {
      const results = outcome(day, index);
      if (!results) return;
      const scanId = randomUUID();
      scans.push({ id: scanId, organisation_id: company.id, asset_id: assetId, trigger: 'schedule', status: 'completed', started_at: at, finished_at: new Date(at.getTime() + 5000) });
      for (const [checkId, status] of Object.entries(results)) {
        if (!status) continue;
        history.push({
          organisation_id: company.id,
          asset_id: assetId,
          check_id: checkId,
          check_version: checkId === 'tls.certificate' ? 1 : 3,
          scan_id: scanId,
          status,
          severity: status === 'fail' ? 'high' : 'info',
          summary_key: `checks.sim.${status}`,
          observed_at: at,
        });
      }
    });
  }
  for (let i = 0; i < scans.length; i += 5000) await db.insertInto('scans').values(scans.slice(i, i + 5000)).execute();
  for (let i = 0; i < history.length; i += 5000) await db.insertInto('check_result_history').values(history.slice(i, i + 5000)).execute();
  // Current state: the last result per asset and check.
  const latest = new Map<string, (typeof history)[number]>();
  for (const row of history) latest.set(`${row.asset_id}|${row.check_id}`, row);
  for (const row of latest.values()) {
    await db
      .insertInto('check_results')
      .values({
        organisation_id: row.organisation_id,
        asset_id: row.asset_id,
        check_id: row.check_id,
        check_version: row.check_version,
        status: row.status,
        severity: row.severity,
        summary_key: row.summary_key,
        first_seen_at: row.observed_at,
        last_seen_at: row.observed_at,
        last_scan_id: row.scan_id,
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'asset_id', 'check_id']).doUpdateSet({ status: row.status, last_seen_at: row.observed_at, last_scan_id: row.scan_id }))
      .execute();
  }
  return { scans: scans.length, results: history.length };
}

export const between = (day: string, from: string, to: string): boolean => day >= from && day <= to;
