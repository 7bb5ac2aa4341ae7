// When the daily monitoring of an organisation runs. Each organisation gets a fixed minute of the
// day (in the programme's time zone), derived from its id, so that the scans of thousands of
// companies spread evenly over the day instead of all starting at midnight.
//
// Dispatch works on wall-clock minutes in that time zone. A dispatch run covers the real instants
// (since, now] and asks which local minutes of which local dates began in it; daylight saving is
// handled by walking real minutes: on the spring-forward day the skipped local hour belongs to the
// first real minute after the gap, on the fall-back day the repeated hour is seen twice and the
// once-per-local-day rule (see dispatch.ts) keeps it from scanning twice.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { JobQueue } from './queue.ts';

export const MINUTES_PER_DAY = 1440;
const MINUTE_MS = 60_000;
/** The longest look-back a dispatch run makes: older missed slots are left for the next day. */
export const MAX_DISPATCH_WINDOW_MINUTES = MINUTES_PER_DAY;

/** A stable minute of the day (0..1439) for an organisation: the same id always gives the same minute. */
export function scheduleMinuteFor(organisationId: string): number {
  const digest = createHash('sha256').update(organisationId.toLowerCase()).digest();
  return digest.readUInt32BE(0) % MINUTES_PER_DAY;
}

export interface LocalMinute {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** Minute of the local day, 0..1439. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for an unknown zone: a configuration error that must not go unnoticed.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date and minute of the day of an instant in a time zone. */
export function localMinuteOf(instant: Date, timeZone: string): LocalMinute {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The local date of an instant in a time zone, `YYYY-MM-DD`. */
export const localDateOf = (instant: Date, timeZone: string): string => localMinuteOf(instant, timeZone).date;

/**
 * The local minutes, per local date, whose start lies in the real interval (since, now]. A local
 * minute that a DST gap skips counts as starting with the first real minute after the gap.
 */
export function localMinutesBetween(since: Date, now: Date, timeZone: string): Map<string, Set<number>> {
  const slots = new Map<string, Set<number>>();
  const add = (date: string, minute: number) => {
    let minutes = slots.get(date);
    if (!minutes) slots.set(date, (minutes = new Set()));
    minutes.add(minute);
  };
  const last = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const earliest = Math.max(since.getTime(), now.getTime() - MAX_DISPATCH_WINDOW_MINUTES * MINUTE_MS);
  let first = Math.floor(earliest / MINUTE_MS) * MINUTE_MS;
  if (first <= earliest) first += MINUTE_MS;
  if (first > last) return slots;
  let previous = localMinuteOf(new Date(first - MINUTE_MS), timeZone);
  for (let t = first; t <= last; t += MINUTE_MS) {
    const current = localMinuteOf(new Date(t), timeZone);
    if (current.date !== previous.date) {
      // A new local day; a zone that skips midnight itself starts it later than 00:00.
      for (let m = 0; m <= current.minute; m++) add(current.date, m);
    } else if (current.minute > previous.minute) {
      for (let m = previous.minute + 1; m <= current.minute; m++) add(current.date, m);
    } else {
      // The clock went back (fall-back hour): this local minute comes round a second time.
      add(current.date, current.minute);
    }
    previous = current;
  }
  return slots;
}

export interface DueOrganisation {
  organisationId: string;
  /** The local date whose daily scan this is. */
  localDate: string;
  scheduleMinute: number;
}

export interface DueOptions {
  now: Date;
  timezone: string;
  /** How far back from `now` to look, in minutes (at most a day). */
  windowMinutes: number;
}

/** Organisations with at least one domain asset whose daily slot began in the last `windowMinutes`. */
export function dueOrganisations(db: Kysely<DB>, options: DueOptions): Promise<DueOrganisation[]> {
  const since = new Date(options.now.getTime() - options.windowMinutes * MINUTE_MS);
  return dueOrganisationsBetween(db, since, options.now, options.timezone);
}

/** Organisations with at least one domain asset whose daily slot began in (since, now]. */
export async function dueOrganisationsBetween(db: Kysely<DB>, since: Date, now: Date, timeZone: string): Promise<DueOrganisation[]> {
  const slots = localMinutesBetween(since, now, timeZone);
  // A minute may fall on two local dates only in a window of a full day; the later date wins.
  const dateByMinute = new Map<number, string>();
  for (const [date, minutes] of [...slots.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const minute of minutes) dateByMinute.set(minute, date);
  }
  if (dateByMinute.size === 0) return [];
  const rows = await db
    .selectFrom('organisations')
    .select(['organisations.id', 'organisations.schedule_minute'])
    .where('organisations.schedule_minute', 'in', [...dateByMinute.keys()])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('assets')
          .select(sql`1`.as('one'))
          .whereRef('assets.organisation_id', '=', 'organisations.id')
          .where('assets.kind', '=', 'domain'),
      ),
    )
    .orderBy('organisations.schedule_minute')
    .orderBy('organisations.id')
    .execute();
  return rows.map((row) => ({
    organisationId: row.id,
    localDate: dateByMinute.get(row.schedule_minute) as string,
    scheduleMinute: row.schedule_minute,
  }));
}

/** The key of the schedule's scan of a domain for one local day. */
export const scheduledScanKey = (assetId: string, localDate: string): string => `${assetId}:${localDate}`;

const SCAN_SCHEDULE = 'scan.domain';
/** How far back the very first dispatch looks. */
const FIRST_DISPATCH_WINDOW_MINUTES = 10;
/** Dispatch bookkeeping older than this is pruned. */
const DISPATCH_RETENTION_DAYS = 7;

export interface DispatchOptions {
  now: Date;
  timezone: string;
}

export interface DispatchResult {
  /** Scan jobs queued by this run. */
  queued: number;
  since: Date;
}

/**
 * Queues one `scan.domain` job per domain asset of every organisation whose daily slot began since
 * the previous dispatch. Bookkeeping and jobs are written in one transaction, so a crash leaves
 * neither, and a domain gets at most one scheduled scan per local day even when dispatch runs twice
 * or on several workers at once (the state row lock serialises them).
 */
export async function dispatchDueScans(queue: JobQueue, db: Kysely<DB>, options: DispatchOptions): Promise<DispatchResult> {
  const { now, timezone } = options;
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('schedule_dispatch_state')
      .values({ schedule: SCAN_SCHEDULE, dispatched_until: new Date(now.getTime() - FIRST_DISPATCH_WINDOW_MINUTES * MINUTE_MS) })
      .onConflict((oc) => oc.column('schedule').doNothing())
      .execute();
    const state = await trx
      .selectFrom('schedule_dispatch_state')
      .select('dispatched_until')
      .where('schedule', '=', SCAN_SCHEDULE)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const since = state.dispatched_until;
    if (since.getTime() >= now.getTime()) return { queued: 0, since };

    const due = await dueOrganisationsBetween(trx, since, now, timezone);
    let queued = 0;
    if (due.length > 0) {
      const dateByOrganisation = new Map(due.map((d) => [d.organisationId, d.localDate]));
      const assets = await trx
        .selectFrom('assets')
        .select(['id', 'organisation_id'])
        .where('kind', '=', 'domain')
        .where('organisation_id', 'in', [...dateByOrganisation.keys()])
        .orderBy('organisation_id')
        .orderBy('id')
        .execute();
      const planned = assets.map((asset) => ({
        asset,
        localDate: dateByOrganisation.get(asset.organisation_id) as string,
        jobId: randomUUID(),
      }));
      const claimed = planned.length
        ? await trx
            .insertInto('scheduled_scan_dispatches')
            .values(planned.map((p) => ({ asset_id: p.asset.id, local_date: p.localDate, job_id: p.jobId })))
            .onConflict((oc) => oc.columns(['asset_id', 'local_date']).doNothing())
            .returning('job_id')
            .execute()
        : [];
      const claimedJobIds = new Set(claimed.map((row) => row.job_id));
      const toQueue = planned.filter((p) => claimedJobIds.has(p.jobId));
      const ids = await queue.enqueueScans(
        toQueue.map((p) => ({
          id: p.jobId,
          singletonKey: scheduledScanKey(p.asset.id, p.localDate),
          data: { organisationId: p.asset.organisation_id, assetId: p.asset.id, trigger: 'schedule', requestedBy: null },
        })),
        { db: trx },
      );
      queued = ids.length;
    }
    await trx.updateTable('schedule_dispatch_state').set({ dispatched_until: now }).where('schedule', '=', SCAN_SCHEDULE).execute();
    await trx
      .deleteFrom('scheduled_scan_dispatches')
      .where('local_date', '<', sql<string>`(${localDateOf(now, timezone)}::date - ${DISPATCH_RETENTION_DAYS}::int)`)
      .execute();
    return { queued, since };
  });
}
