// Twenty-four months of a programme, simulated: daily results for several companies written to
// the real tables, the monthly job run on the first of every month with a controlled clock, and
// the certificates that follow. Each company lives one story from issue 5.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Actor } from '../../src/authz/actor.ts';
import { createIssuer } from '../../src/certificates/issuer.ts';
import { verifyCertificateFile } from '../../src/certificates/statement.ts';
import { loadSigningKey } from '../../src/certificates/keys.ts';
import type { CheckStatus } from '../../src/checks/types.ts';
import { approveCertificate, revokeCertificate } from '../../src/db/repositories/certificates.ts';
import { runMonthlyEvaluation } from '../../src/jobs/monthly.ts';
import { addMonths, startOfLocalDate } from '../../src/norm/calendar.ts';
import { loadNormSet } from '../../src/norm/load.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { between, createCompany, createProgramme, TIMEZONE, writeDailyResults } from './simulation.ts';

const norms = loadNormSet(join(import.meta.dirname, '../norm/fixtures/sim-norm'), new Set(['tls.certificate', 'sim.mail', 'sim.dnssec', 'sim.headers']));
const FIRST = '2027-01-01';
const LAST = '2028-12-31';
const platformOutage = (day: string) => between(day, '2027-02-08', '2027-02-14');

type Story = (day: string, assetIndex: number) => Partial<Record<string, CheckStatus>> | null;
const allPass = { 'tls.certificate': 'pass', 'sim.mail': 'pass', 'sim.dnssec': 'pass', 'sim.headers': 'pass' } as const;
const story =
  (change: (day: string) => Partial<Record<string, CheckStatus>> | null): Story =>
  (day) => {
    if (platformOutage(day)) return null;
    const changed = change(day);
    return changed === null ? null : { ...allPass, ...changed };
  };

const stories: Record<string, Story> = {
  clean: story(() => ({})),
  failsInApril: story((day) => (between(day, '2027-04-05', '2027-04-25') ? { 'tls.certificate': 'fail' } : {})),
  withinGrace: story((day) => (between(day, '2027-03-10', '2027-03-18') || between(day, '2027-05-25', '2027-06-03') ? { 'tls.certificate': 'fail' } : {})),
  ownGap: story((day) => (between(day, '2027-01-10', '2027-01-16') ? null : {})),
  lapses: story((day) => (between(day, '2027-08-20', '2027-10-31') ? { 'sim.mail': 'fail' } : {})),
  revoked: story(() => ({})),
  streakAcrossVersions: story((day) => (day < '2027-06-01' ? { 'tls.certificate': 'fail' } : {})),
  failsNewControl: story(() => ({ 'sim.headers': 'fail' })),
  needsApproval: story(() => ({})),
};

describeEachDatabase('24 months of daily results, judged month by month', (kind) => {
  let database: TestDatabase;
  let keyDirectory: string;
  const companies: Record<string, { id: string; assetIds: string[] }> = {};
  let coordinator: Actor;
  let approvalCoordinator: Actor;

  before(async () => {
    database = await createTestDatabase(kind);
    keyDirectory = mkdtempSync(join(tmpdir(), 'cm-sim-keys-'));
    const db = database.db;
    const programme = await createProgramme(db);
    const approvalProgramme = await createProgramme(db, { approvalRequired: true, name: 'Cyberveilig Goedkeurdorp' });
    for (const name of Object.keys(stories)) {
      companies[name] = await createCompany(db, name === 'needsApproval' ? approvalProgramme : programme, name, name === 'clean' ? { domains: ['clean.nl', 'shop.clean.nl'] } : {});
      await writeDailyResults(db, companies[name]!, FIRST, LAST, stories[name]!);
    }
    const user = async (email: string, programmeId: string): Promise<Actor> => {
      const row = await db.insertInto('users').values({ email, name: email, status: 'active' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('memberships').values({ user_id: row.id, role: 'coordinator', programme_id: programmeId }).execute();
      return { userId: row.id, email, name: email, language: 'nl', grants: [{ role: 'coordinator', programmeId, partnerId: null, insurerId: null, organisationId: null }] };
    };
    coordinator = await user('coordinator@sim.test', programme);
    approvalCoordinator = await user('coordinator@goedkeurdorp.test', approvalProgramme);

    const issuer = createIssuer(db, { publicUrl: 'https://cybermonitor.test', keys: { directory: keyDirectory } });
    for (let month = '2027-01'; month <= '2028-12'; month = addMonths(month, 1)) {
      const now = new Date(startOfLocalDate(`${addMonths(month, 1)}-01`, TIMEZONE).getTime() + 30 * 60_000);
      await runMonthlyEvaluation(db, { norms, issuer }, { now });
      if (month === '2027-06') {
        const pending = await certificatesOf('needsApproval');
        await approveCertificate(db, approvalCoordinator, pending[0]!.id, { issuer, norms, today: '2027-07-03', now: new Date('2027-07-03T09:00:00Z') });
      }
      if (month === '2027-07') {
        const [issued] = await certificatesOf('revoked');
        await revokeCertificate(db, coordinator, issued!.id, 'Bedrijf gaf onjuiste informatie', new Date('2027-08-15T10:00:00Z'));
      }
    }
  });
  after(async () => {
    await database?.close();
    rmSync(keyDirectory, { recursive: true, force: true });
  });

  const months = (name: string) =>
    database.db.selectFrom('monthly_results').selectAll().where('organisation_id', '=', companies[name]!.id).orderBy('month').execute();
  const statusOf = async (name: string, month: string) => (await months(name)).find((m) => m.month === month)?.status;
  const certificatesOf = (name: string) =>
    database.db
      .selectFrom('certificates')
      .select(['id', 'state', 'earned_in_month', 'valid_from', 'valid_until', 'norm_version', 'previous_certificate_id', 'document', 'measured_areas', 'not_measured_areas'])
      .where('organisation_id', '=', companies[name]!.id)
      .orderBy('created_at')
      .execute();
  const auditOf = (name: string) =>
    database.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'actor_user_id'])
      .where('organisation_id', '=', companies[name]!.id)
      .where('action', 'like', 'certificate.%')
      .orderBy('id')
      .execute();

  test('a clean streak earns the certificate in month 6 and it is renewed while compliance continues', async () => {
    const judged = await months('clean');
    assert.equal(judged.length, 24);
    assert.ok(judged.every((m) => m.status === 'compliant'), JSON.stringify(judged.filter((m) => m.status !== 'compliant')));
    assert.deepEqual(judged.slice(0, 6).map((m) => m.streak), [1, 2, 3, 4, 5, 6]);
    const [first, renewal] = await certificatesOf('clean');
    assert.equal(first?.earned_in_month, '2027-06');
    assert.equal(first?.valid_from, '2027-07-01');
    assert.equal(first?.valid_until, '2028-06-30');
    assert.equal(first?.state, 'renewed');
    assert.equal(renewal?.previous_certificate_id, first?.id);
    assert.equal(renewal?.earned_in_month, '2028-05');
    assert.equal(renewal?.valid_from, '2028-07-01');
    assert.equal(renewal?.valid_until, '2029-06-30');
    assert.equal(renewal?.state, 'issued');
    assert.deepEqual(first?.measured_areas, ['website', 'mail-dns']);
    assert.deepEqual(first?.not_measured_areas, ['computers']);
    assert.deepEqual((await auditOf('clean')).map((a) => a.action), ['certificate.issued', 'certificate.renewed', 'certificate.issued']);
    const organisation = await database.db.selectFrom('organisations').select('status').where('id', '=', companies.clean!.id).executeTakeFirstOrThrow();
    assert.equal(organisation.status, 'gecertificeerd');
  });

  test('every monthly result records the norm version and the check versions it used', async () => {
    const judged = await months('clean');
    assert.equal(judged.find((m) => m.month === '2027-09')?.norm_version, '2027.1');
    assert.equal(judged.find((m) => m.month === '2027-10')?.norm_version, '2027.2');
    assert.deepEqual(judged.find((m) => m.month === '2027-09')?.check_versions, { 'sim.dnssec': [3], 'sim.mail': [3], 'tls.certificate': [1] });
    assert.deepEqual(judged.find((m) => m.month === '2027-10')?.check_versions, { 'sim.dnssec': [3], 'sim.headers': [3], 'sim.mail': [3], 'tls.certificate': [1] });
    assert.equal(judged[0]?.score, 100);
    assert.equal(judged[0]?.grade, 'A');
  });

  test('a scanner outage week is not the company\'s fault; a gap of its own is', async () => {
    const february = (await months('clean')).find((m) => m.month === '2027-02');
    assert.equal(february?.status, 'compliant');
    assert.deepEqual(february?.coverage, { measuredDays: 21, expectedDays: 21, excusedDays: 7, share: 1, sufficient: true });
    const january = (await months('ownGap')).find((m) => m.month === '2027-01');
    assert.equal(january?.status, 'non_compliant');
    assert.deepEqual(january?.problems, [{ kind: 'coverage', measuredDays: 24, expectedDays: 31 }]);
    assert.equal((await certificatesOf('ownGap'))[0]?.earned_in_month, '2027-07');
  });

  test('a failure in month 4 beyond its grace period resets the streak', async () => {
    const judged = await months('failsInApril');
    const april = judged.find((m) => m.month === '2027-04');
    assert.equal(april?.status, 'non_compliant');
    assert.deepEqual(april?.problems, [{ kind: 'grace_exceeded', controlId: 'WEB-01', failingSince: '2027-04-05', failingDays: 21, graceDays: 14 }]);
    assert.equal(april?.streak, 0);
    assert.equal(judged.find((m) => m.month === '2027-05')?.streak, 1);
    const [certificate] = await certificatesOf('failsInApril');
    assert.equal(certificate?.earned_in_month, '2027-10');
    assert.equal(certificate?.valid_from, '2027-11-01');
    assert.equal(certificate?.norm_version, '2027.2');
  });

  test('a mandatory check failing within its grace period keeps the month compliant, also across a month end', async () => {
    const judged = await months('withinGrace');
    for (const month of ['2027-03', '2027-05', '2027-06']) assert.equal(judged.find((m) => m.month === month)?.status, 'compliant', month);
    const may = judged.find((m) => m.month === '2027-05');
    assert.deepEqual(may?.open_failures, [
      { controlId: 'WEB-01', failingSince: '2027-05-25', lastFailingDay: '2027-05-31', failingDays: 7, graceDays: 14, fixBy: '2027-06-08', withinGrace: true, open: true },
    ]);
    assert.equal((await certificatesOf('withinGrace'))[0]?.earned_in_month, '2027-06');
  });

  test('one non-compliant month warns, the second lapses; a new streak earns a new certificate', async () => {
    assert.equal(await statusOf('lapses', '2027-08'), 'compliant');
    assert.equal(await statusOf('lapses', '2027-09'), 'non_compliant');
    assert.equal(await statusOf('lapses', '2027-10'), 'non_compliant');
    const [lapsed, again] = await certificatesOf('lapses');
    assert.equal(lapsed?.state, 'lapsed');
    assert.equal(again?.earned_in_month, '2028-04');
    assert.equal(again?.state, 'issued');
    const trail = await auditOf('lapses');
    assert.deepEqual(trail.map((a) => a.action), ['certificate.issued', 'certificate.warned', 'certificate.lapsed', 'certificate.issued']);
    assert.deepEqual((trail[1]?.details as { from: string; to: string }).to, 'warned');
    assert.equal((trail[2]?.details as { reason: string }).reason, 'non_compliant');
  });

  test('a coordinator revokes with a reason; the streak starts again after the revocation month', async () => {
    const [revoked, next] = await certificatesOf('revoked');
    assert.equal(revoked?.state, 'revoked');
    const row = await database.db.selectFrom('certificates').select(['revocation_reason', 'revoked_by']).where('id', '=', revoked!.id).executeTakeFirstOrThrow();
    assert.equal(row.revocation_reason, 'Bedrijf gaf onjuiste informatie');
    assert.equal(row.revoked_by, coordinator.userId);
    const judged = await months('revoked');
    assert.equal(judged.find((m) => m.month === '2027-08')?.streak, 0);
    assert.equal(judged.find((m) => m.month === '2027-09')?.streak, 1);
    assert.equal(next?.earned_in_month, '2028-02');
    const trail = await auditOf('revoked');
    assert.equal(trail[1]?.action, 'certificate.revoked');
    assert.equal(trail[1]?.actor_user_id, coordinator.userId);
  });

  test('norm version change mid-streak: months keep the verdict of their own version, the streak carries on', async () => {
    const judged = await months('streakAcrossVersions');
    assert.deepEqual(
      judged.filter((m) => m.month >= '2027-06' && m.month <= '2027-11').map((m) => [m.month, m.norm_version, m.status, m.streak]),
      [
        ['2027-06', '2027.1', 'compliant', 1],
        ['2027-07', '2027.1', 'compliant', 2],
        ['2027-08', '2027.1', 'compliant', 3],
        ['2027-09', '2027.1', 'compliant', 4],
        ['2027-10', '2027.2', 'compliant', 5],
        ['2027-11', '2027.2', 'compliant', 6],
      ],
    );
    const [certificate] = await certificatesOf('streakAcrossVersions');
    assert.equal(certificate?.earned_in_month, '2027-11');
    assert.equal(certificate?.norm_version, '2027.2');
    // A company failing the control the new version added loses its month at once (no grace).
    const other = await months('failsNewControl');
    assert.equal(other.find((m) => m.month === '2027-09')?.status, 'compliant');
    const october = other.find((m) => m.month === '2027-10');
    assert.equal(october?.status, 'non_compliant');
    assert.deepEqual((october?.problems as Array<{ controlId: string }>).map((p) => p.controlId), ['WEB-02']);
    assert.deepEqual((await certificatesOf('failsNewControl')).map((c) => c.state), ['lapsed']);
  });

  test('a programme with approval: pending until a coordinator approves, then issued and signed', async () => {
    const [certificate] = await certificatesOf('needsApproval');
    assert.equal(certificate?.state, 'renewed');
    assert.equal(certificate?.valid_from, '2027-07-03');
    assert.equal(certificate?.valid_until, '2028-07-02');
    const trail = await auditOf('needsApproval');
    assert.deepEqual(trail.slice(0, 2).map((a) => [a.action, a.actor_user_id]), [
      ['certificate.pending_approval', null],
      ['certificate.issued', approvalCoordinator.userId],
    ]);
  });

  test('every issued certificate PDF verifies with the key that signed it', async () => {
    const key = loadSigningKey({ directory: keyDirectory }, { create: false });
    assert.ok(key);
    for (const name of ['clean', 'needsApproval', 'lapses']) {
      for (const certificate of await certificatesOf(name)) {
        if (!certificate.document) continue;
        const result = verifyCertificateFile(certificate.document, [key], '2028-01-15');
        assert.ok(['valid', 'expired'].includes(result.outcome), `${name}: ${JSON.stringify(result)}`);
        assert.equal(result.statement?.id, certificate.id);
      }
    }
  });

  test('the job is idempotent: running a month again changes nothing', async () => {
    const before = await database.db.selectFrom('certificates').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const issuer = createIssuer(database.db, { publicUrl: 'https://cybermonitor.test', keys: { directory: keyDirectory } });
    const summary = await runMonthlyEvaluation(database.db, { norms, issuer }, { now: new Date('2029-01-01T00:30:00Z') });
    assert.equal(summary.judged, 0);
    const afterCount = await database.db.selectFrom('certificates').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });
});
