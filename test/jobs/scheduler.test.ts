import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dueOrganisations, localMinuteOf, localMinutesBetween, scheduleMinuteFor } from '../../src/jobs/scheduler.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabase, seedOrganisation, seedProgramme } from './seed.ts';

const TZ = 'Europe/Amsterdam';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const asObject = (slots: Map<string, Set<number>>) =>
  Object.fromEntries([...slots].map(([date, minutes]) => [date, [...minutes].sort((a, b) => a - b)]));

describe('scheduleMinuteFor', () => {
  it('gives an organisation the same minute every time, whatever the case of its id', () => {
    const id = 'a3bb189e-8bf9-3888-9912-ace4e6543002';
    const minute = scheduleMinuteFor(id);
    assert.equal(scheduleMinuteFor(id), minute);
    assert.equal(scheduleMinuteFor(id.toUpperCase()), minute);
    assert.ok(Number.isInteger(minute) && minute >= 0 && minute <= 1439);
  });

  it('spreads organisations evenly over the day', () => {
    const perHour = new Array<number>(24).fill(0);
    const perQuarter = new Array<number>(96).fill(0);
    const n = 24_000;
    for (let i = 0; i < n; i++) {
      const minute = scheduleMinuteFor(randomUUID());
      assert.ok(minute >= 0 && minute <= 1439);
      perHour[Math.floor(minute / 60)]! += 1;
      perQuarter[Math.floor(minute / 15)]! += 1;
    }
    // 1000 per hour expected; a fair spread stays well inside ±15 %.
    assert.ok(Math.min(...perHour) > 850 && Math.max(...perHour) < 1150, `per hour: ${perHour.join(',')}`);
    assert.ok(Math.min(...perQuarter) > 150 && Math.max(...perQuarter) < 350, `per quarter: ${perQuarter.join(',')}`);
  });
});

describe('local minutes in Europe/Amsterdam', () => {
  it('reads winter and summer time', () => {
    assert.deepEqual(localMinuteOf(new Date('2026-01-15T11:30:00Z'), TZ), { date: '2026-01-15', minute: 12 * 60 + 30 });
    assert.deepEqual(localMinuteOf(new Date('2026-07-15T11:30:00Z'), TZ), { date: '2026-07-15', minute: 13 * 60 + 30 });
    assert.deepEqual(localMinuteOf(new Date('2026-07-15T22:30:00Z'), TZ), { date: '2026-07-16', minute: 30 });
  });

  it('covers the minutes that began in (since, now], not the one at since', () => {
    const slots = localMinutesBetween(new Date('2026-01-15T11:00:00Z'), new Date('2026-01-15T11:05:30Z'), TZ);
    assert.deepEqual(asObject(slots), { '2026-01-15': range(721, 725) });
    const unaligned = localMinutesBetween(new Date('2026-01-15T11:00:30Z'), new Date('2026-01-15T11:05:10Z'), TZ);
    assert.deepEqual(asObject(unaligned), { '2026-01-15': range(721, 725) });
  });

  it('splits a window over local midnight into two local dates', () => {
    const slots = localMinutesBetween(new Date('2026-01-15T22:55:00Z'), new Date('2026-01-15T23:03:00Z'), TZ);
    assert.deepEqual(asObject(slots), { '2026-01-15': range(1436, 1439), '2026-01-16': range(0, 3) });
  });

  it('gives the skipped hour of the spring-forward day to the first minute after the gap', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    const slots = localMinutesBetween(new Date('2026-03-29T00:55:00Z'), new Date('2026-03-29T01:05:00Z'), TZ);
    assert.deepEqual(asObject(slots), { '2026-03-29': range(116, 185) });
  });

  it('sees the repeated hour of the fall-back day twice', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
    const slots = localMinutesBetween(new Date('2026-10-25T00:50:00Z'), new Date('2026-10-25T01:10:00Z'), TZ);
    assert.deepEqual(asObject(slots), { '2026-10-25': [...range(120, 130), ...range(171, 179)] });
  });

  it('looks back at most one day', () => {
    const slots = localMinutesBetween(new Date('2026-01-10T00:00:00Z'), new Date('2026-01-15T12:00:00Z'), TZ);
    const total = [...slots.values()].reduce((sum, minutes) => sum + minutes.size, 0);
    assert.equal(total, 1440);
    assert.deepEqual([...slots.keys()].sort(), ['2026-01-14', '2026-01-15']);
  });
});

describeEachDatabase('dueOrganisations', (kind) => {
  let database: TestDatabase;
  let programmeId: string;

  before(async () => {
    database = await createTestDatabase(kind);
    programmeId = await seedProgramme(database.db);
  });
  after(async () => {
    await closeTestDatabase(database);
  });

  it('selects organisations with a domain whose slot began in the window, across the spring-forward gap', async () => {
    const at = async (minute: number, options: Parameters<typeof seedOrganisation>[2] = { domains: [`m${minute}.example`] }) =>
      (await seedOrganisation(database.db, programmeId, { scheduleMinute: minute, ...options })).organisationId;
    const before = await at(115);
    const lastWinter = await at(119);
    const inGap = await at(150);
    const firstSummer = await at(180);
    const after = await at(186);
    const noAssets = await at(150, { domains: [] });
    const onlyIp = await at(150, { domains: [], otherAssets: [{ kind: 'ip_address', value: '192.0.2.7' }] });

    const due = await dueOrganisations(database.db, { now: new Date('2026-03-29T01:05:00Z'), timezone: TZ, windowMinutes: 10 });
    const ids = due.map((d) => d.organisationId);
    assert.deepEqual(new Set(ids), new Set([lastWinter, inGap, firstSummer]));
    for (const absent of [before, after, noAssets, onlyIp]) assert.ok(!ids.includes(absent));
    assert.ok(due.every((d) => d.localDate === '2026-03-29'));

    // Through the repeated hour of the fall-back day the same slot is due twice; dispatch's
    // once-per-local-day bookkeeping (dispatch.test.ts) keeps it to one scan.
    const repeated = await at(125); // 02:05 local, a time that occurs twice that night
    const first = await dueOrganisations(database.db, { now: new Date('2026-10-25T00:10:00Z'), timezone: TZ, windowMinutes: 10 });
    const second = await dueOrganisations(database.db, { now: new Date('2026-10-25T01:10:00Z'), timezone: TZ, windowMinutes: 10 });
    assert.ok(first.some((d) => d.organisationId === repeated && d.localDate === '2026-10-25'));
    assert.ok(second.some((d) => d.organisationId === repeated && d.localDate === '2026-10-25'));
  });
});
