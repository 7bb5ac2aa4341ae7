// The vertical slice through the browser's eyes, on a real HTTP server, the real queue and
// worker, and the fixture internet: first setup with TOTP, a programme and an IT partner, an
// invitation accepted, a company and its domain added, the scan queued (by hand and by the
// daily schedule), and the certificate result shown with first seen / last seen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import { pino } from 'pino';
import { issueSetupToken } from '../../src/auth/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { mayProbeActively } from '../../src/db/repositories/assets.ts';
import { dispatchDueScans, localMinuteOf, scheduleMinuteFor } from '../../src/jobs/scheduler.ts';
import { startWorker, type RunningWorker } from '../../src/jobs/scan-job.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import { startFixtureInternet, type FixtureInternet } from '../fixtures/fixture-internet.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { Client, csrfFromPage, startTestApp, type TestApp } from './harness.ts';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';
const PARTNER_PASSWORD = 'nog een lange zin voor de partner';

const secretFrom = (html: string): string => {
  const match = /data-totp-secret>([A-Z2-7]+)</.exec(html);
  if (!match) throw new Error('no TOTP secret on the enrolment page');
  return match[1]!;
};
const idFromLocation = (location: string | null): string => {
  const match = /\/organisations\/([0-9a-f-]{36})/.exec(location ?? '');
  if (!match) throw new Error(`unexpected redirect ${location}`);
  return match[1]!;
};

let net: FixtureInternet;
before(async () => {
  net = await startFixtureInternet();
});
after(async () => net?.close());

describeEachDatabase('web flow', (kind) => {
  let database: TestDatabase;
  let worker: RunningWorker;
  let app: TestApp;
  const admin = { client: null as unknown as Client };
  const partner = { client: null as unknown as Client };
  let organisationId = '';

  before(async () => {
    database = await createTestDatabase(kind);
    const config = loadConfig({ ALLOW_PRIVATE_TARGETS: 'true', SCAN_CONCURRENCY: '2' });
    worker = await startWorker({
      database,
      config,
      logger: pino({ level: 'silent' }),
      scanner: scanDomain,
      scanOptions: { resolver: net.resolver, extraCa: [net.caPem], timeoutMs: 3000 },
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    app = await startTestApp(kind, { database, queue: worker.queue, env: { DNS_RESOLVER: net.resolver } });
    admin.client = new Client(app.baseUrl);
    partner.client = new Client(app.baseUrl);
  });
  after(async () => {
    await app?.close();
    await worker?.stop();
    await database?.close();
  });

  test('first setup creates the platform admin, who must enrol TOTP before anything else', async () => {
    const token = await issueSetupToken(database.db);
    const browser = admin.client;
    const page = await browser.get(`/setup?token=${token}`);
    assert.equal(page.status, 200);
    const weak = await browser.request('POST', '/setup', { form: { _csrf: csrfFromPage(page.text), token, name: 'Beheer', email: 'beheer@cyberveilig.example', password: 'kort', language: 'nl' } });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /minstens 12 tekens/);
    assert.match(weak.text, /value="beheer@cyberveilig.example"/, 'what was typed is kept');
    const created = await browser.request('POST', '/setup', {
      form: { _csrf: csrfFromPage(weak.text), token, name: 'Beheer', email: 'beheer@cyberveilig.example', password: ADMIN_PASSWORD, language: 'nl' },
    });
    assert.equal(created.status, 303);
    assert.equal(created.headers.get('location'), '/login/totp/enrol');
    const early = await browser.get('/organisations');
    assert.equal(early.status, 302, 'no pages before the second factor');
    assert.match(early.headers.get('location') ?? '', /^\/login\/totp/);

    const enrol = await browser.get('/login/totp/enrol');
    assert.match(enrol.text, /<svg/);
    const secret = secretFrom(enrol.text);
    const wrong = await browser.request('POST', '/login/totp/enrol', { form: { _csrf: csrfFromPage(enrol.text), code: '000000' } });
    assert.equal(wrong.status, 401);
    const second = await browser.get('/login/totp/enrol');
    const done = await browser.request('POST', '/login/totp/enrol', { form: { _csrf: csrfFromPage(second.text), code: await generate({ secret: secretFrom(second.text) }) } });
    assert.equal(done.status, 303, done.text);
    const start = await browser.get('/organisations');
    assert.equal(start.status, 200);
    assert.match(start.text, /Begin met een programma/, 'a fresh installation says where to start');
    assert.notEqual(secret, '');
    const reused = await new Client(app.baseUrl).get(`/setup?token=${token}`);
    assert.equal(reused.status, 400, 'the setup link works once');
  });

  test('the admin sets up a programme and an IT partner, and invites the partner\'s engineer', async () => {
    const browser = admin.client;
    const programme = await browser.submit('/programmes', '/programmes', {
      name: 'Cyberveilig Achterhoek',
      region: 'Achterhoek',
      goalCompanies: '200',
      goalCertificates: '50',
      goalMonths: '12',
      startsOn: '',
    });
    assert.equal(programme.status, 303, programme.text);
    const page = await browser.get('/programmes');
    assert.match(page.text, /200 bedrijven en 50 keurmerken in 12 maanden/);
    const programmeId = /<option value="([0-9a-f-]{36})"\s*>Cyberveilig Achterhoek/.exec(page.text)![1]!;
    const partnerCreated = await browser.request('POST', '/partners', { form: { _csrf: csrfFromPage(page.text), programmeId, name: 'IT Oost', kvkNumber: '' } });
    assert.equal(partnerCreated.status, 303, partnerCreated.text);

    const invitePage = await browser.get('/people/invite');
    const partnerId = /<option value="([0-9a-f-]{36})"\s*>IT Oost/.exec(invitePage.text)?.[1];
    assert.ok(partnerId, 'the partner is offered as scope');
    const invited = await browser.request('POST', '/people/invite', {
      form: { _csrf: csrfFromPage(invitePage.text), name: 'Piet Engineer', email: 'piet@it-oost.example', language: 'nl', role: 'it_partner', programmeId: '', partnerId, organisationId: '' },
    });
    assert.equal(invited.status, 200, invited.text);
    assert.match(invited.text, /Uitnodiging verstuurd naar piet@it-oost.example/);
  });

  test('the engineer accepts the invitation, enrols TOTP and signs in', async () => {
    const mail = app.logLines.find((line) => line.includes('piet@it-oost.example') && line.includes('invitation?token='));
    assert.ok(mail, 'the invitation mail went to the log (no SMTP_URL)');
    const link = new URL(/(http:\/\/[^\s"\\]+\/invitation\?token=[A-Za-z0-9_%-]+)/.exec(mail)![1]!);
    const browser = partner.client;
    const page = await browser.get(`${link.pathname}${link.search}`);
    assert.equal(page.status, 200);
    const token = decodeURIComponent(link.searchParams.get('token')!);
    const accepted = await browser.request('POST', '/invitation', { form: { _csrf: csrfFromPage(page.text), token, password: PARTNER_PASSWORD } });
    assert.equal(accepted.status, 303, accepted.text);
    assert.equal(accepted.headers.get('location'), '/login?notice=welcome');

    const login = await browser.submit('/login', '/login', { email: 'piet@it-oost.example', password: PARTNER_PASSWORD, next: '' });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/login/totp/enrol', 'IT partners must enrol TOTP');
    const enrol = await browser.get('/login/totp/enrol');
    const done = await browser.request('POST', '/login/totp/enrol', { form: { _csrf: csrfFromPage(enrol.text), code: await generate({ secret: secretFrom(enrol.text) }) } });
    assert.equal(done.status, 303);
  });

  test('the engineer adds a company and its domain; bad input is explained and kept', async () => {
    const browser = partner.client;
    const invalid = await browser.submit('/organisations/new', '/organisations/new', { name: 'Bakkerij Jansen', kvkNumber: '1234', sector: 'Voeding', sizeClass: '1-9', street: '', postalCode: '7001 AB', city: 'Doetinchem' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.text, /8 cijfers/);
    assert.match(invalid.text, /value="Bakkerij Jansen"/);
    const created = await browser.request('POST', '/organisations/new', {
      form: { _csrf: csrfFromPage(invalid.text), name: 'Bakkerij Jansen', kvkNumber: '12345678', sector: 'Voeding', sizeClass: '1-9', street: '', postalCode: '7001 AB', city: 'Doetinchem' },
    });
    assert.equal(created.status, 303, created.text);
    organisationId = idFromLocation(created.headers.get('location'));

    const badDomain = await browser.submit(`/organisations/${organisationId}`, `/organisations/${organisationId}/domains`, { domain: 'https://bakkerij.example/' });
    assert.equal(badDomain.status, 400);
    assert.match(badDomain.text, /value="https:\/\/bakkerij.example\/"/);
    for (const domain of [net.sites.valid.domain, net.sites.expired.domain]) {
      const added = await browser.submit(`/organisations/${organisationId}`, `/organisations/${organisationId}/domains`, { domain });
      assert.equal(added.status, 303, added.text);
    }
    const page = await browser.get(`/organisations/${organisationId}`);
    assert.match(page.text, new RegExp(net.sites.valid.domain.replace(/\./g, '\\.')));
    assert.match(page.text, /cybermonitor-verification=/);
  });

  test('ownership is proven by publishing the token in DNS; only then may active probes run', async () => {
    const browser = partner.client;
    const page = await browser.get(`/organisations/${organisationId}?lang=nl`);
    const verify = [...page.text.matchAll(/action="(\/organisations\/[0-9a-f-]{36}\/domains\/([0-9a-f-]{36})\/verify)"/g)];
    assert.equal(verify.length, 2, 'both domains are unverified');
    const [expiredVerify, validVerify] = verify;
    const validAssetId = validVerify![2]!;
    const token = (await database.db.selectFrom('assets').select('verification_token').where('id', '=', validAssetId).executeTakeFirstOrThrow()).verification_token;

    const early = await browser.request('POST', validVerify![1]!, { form: { _csrf: csrfFromPage(page.text) } });
    assert.equal(early.status, 400);
    assert.match(early.text, /nog niet aangetoond/);
    assert.ok(early.text.includes(token), 'the page says which record to publish');
    assert.equal(await mayProbeActively(database.db, validAssetId), false);

    net.zone.set(`_cybermonitor.${net.sites.valid.domain}`, { txt: [[token]] });
    const proven = await browser.request('POST', validVerify![1]!, { form: { _csrf: csrfFromPage(early.text) } });
    assert.equal(proven.status, 303, proven.text);
    assert.match(proven.headers.get('location') ?? '', /notice=verified/);
    const state = await database.db.selectFrom('assets').select(['verification_state', 'verified_at']).where('id', '=', validAssetId).executeTakeFirstOrThrow();
    assert.equal(state.verification_state, 'verified');
    assert.ok(state.verified_at);
    assert.equal(await mayProbeActively(database.db, validAssetId), true);
    assert.equal(await mayProbeActively(database.db, expiredVerify![2]!), false, 'the other domain stays passive');
    net.zone.delete(`_cybermonitor.${net.sites.valid.domain}`);
  });

  test('"check now" queues the scan; the worker stores the result; the page shows it with first and last seen', async () => {
    const browser = partner.client;
    const page = await browser.get(`/organisations/${organisationId}`);
    const scanAction = new RegExp(`action="(/organisations/${organisationId}/domains/[0-9a-f-]{36}/scan)"`).exec(page.text);
    assert.ok(scanAction);
    // The first listed domain (alphabetical) is expired.example.test, the second valid.example.test.
    const actions = [...page.text.matchAll(/action="(\/organisations\/[0-9a-f-]{36}\/domains\/[0-9a-f-]{36}\/scan)"/g)].map((m) => m[1]!);
    assert.equal(actions.length, 2);
    const queued = await browser.request('POST', actions[1]!, { form: { _csrf: csrfFromPage(page.text) } });
    assert.equal(queued.status, 303);
    assert.match(queued.headers.get('location') ?? '', /notice=scan_queued/);

    const deadline = Date.now() + 30_000;
    let shown = '';
    while (Date.now() < deadline) {
      shown = (await browser.get(`/organisations/${organisationId}`)).text;
      if (shown.includes('data-check="tls.certificate"')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(shown, /<tr data-check="tls.certificate" data-status="pass"><td>valid\.example\.test<\/td>/);
    assert.match(shown, /Eerst gezien/);
    const english = await browser.get(`/organisations/${organisationId}?lang=en`);
    assert.match(english.text, /First seen/);
    assert.match(english.text, /Last seen/);
  });

  test('the daily schedule queues every domain of the company once, and the failing certificate shows up', async () => {
    const minute = scheduleMinuteFor(organisationId);
    // The next moment, from now, at which the company's daily minute has just begun.
    let now = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    while (localMinuteOf(now, 'Europe/Amsterdam').minute !== minute) now = new Date(now.getTime() + 60_000);
    now = new Date(now.getTime() + 30_000);
    const first = await dispatchDueScans(worker.queue, database.db, { now, timezone: 'Europe/Amsterdam' });
    assert.equal(first.queued, 2);
    const again = await dispatchDueScans(worker.queue, database.db, { now: new Date(now.getTime() + 60_000), timezone: 'Europe/Amsterdam' });
    assert.equal(again.queued, 0, 'a second dispatch run queues nothing twice');

    const deadline = Date.now() + 30_000;
    let rows: { asset: string; status: string }[] = [];
    while (Date.now() < deadline) {
      rows = await database.db
        .selectFrom('check_results')
        .innerJoin('assets', 'assets.id', 'check_results.asset_id')
        .select(['assets.value as asset', 'check_results.status'])
        .where('check_results.organisation_id', '=', organisationId)
        .where('check_results.check_id', '=', 'tls.certificate')
        .orderBy('assets.value')
        .execute();
      const scans = await database.db.selectFrom('scans').select('id').where('organisation_id', '=', organisationId).where('trigger', '=', 'schedule').execute();
      if (scans.length === 2 && rows.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.deepEqual(rows, [
      { asset: net.sites.expired.domain, status: 'fail' },
      { asset: net.sites.valid.domain, status: 'pass' },
    ]);
    const page = await partner.client.get(`/organisations/${organisationId}?lang=nl`);
    assert.match(page.text, /data-check="tls.certificate" data-status="fail"><td>expired\.example\.test/);
    assert.match(page.text, /Hoe los ik dit op\?/);
    const score = /class="score" data-score="(\d+)" data-grade="([A-F])"/.exec(page.text);
    assert.ok(score, 'the company page shows a score and grade');
    assert.ok(Number(score[1]) <= 75, 'the expired certificate (high) costs at least 25 points');
  });

  test('another IT partner\'s engineer, or a stranger, cannot see the company', async () => {
    const stranger = new Client(app.baseUrl);
    const response = await stranger.get(`/organisations/${organisationId}`);
    assert.equal(response.status, 302);
    assert.match(response.headers.get('location') ?? '', /^\/login\?next=/);
    const forged = await stranger.request('POST', `/organisations/${organisationId}/domains`, { form: { _csrf: 'x', domain: 'evil.example' } });
    assert.equal(forged.status, 401);
  });
});
