// The Cyberkeurmerk over a real HTTP server: the public verification page and API show only what
// the company agreed to publish, the key document verifies the downloaded PDF, the company page
// says "maand 3 van 6" with what blocks and by when, and access is decided by src/authz.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSecret } from 'otplib';
import { createIssuer } from '../../src/certificates/issuer.ts';
import { keySettings, publishSigningKey, rotateSigningKey } from '../../src/certificates/keys.ts';
import { parsePublicKeys, verifyCertificateFile } from '../../src/certificates/statement.ts';
import { runMonthlyEvaluation } from '../../src/jobs/monthly.ts';
import { addDays, addMonths, localDate, localMonth } from '../../src/norm/calendar.ts';
import { programmeNorms } from '../../src/norm/load.ts';
import { describeEachDatabase } from '../helpers/database.ts';
import { apiSignIn, Client, createUser, startTestApp, type TestApp } from '../http/harness.ts';
import { createCompany, createProgramme, TIMEZONE, writeDailyResults } from './simulation.ts';

describeEachDatabase('Cyberkeurmerk over HTTP', (kind) => {
  let app: TestApp;
  let dataDir: string;
  // The company data ends a minute before `now`; the job and the pages judge at the real clock.
  const now = new Date();
  const thisMonth = localMonth(now, TIMEZONE);
  const today = localDate(now, TIMEZONE);
  const yesterday = addDays(today, -1);
  let alpha: { id: string; assetIds: string[] };
  let beta: { id: string; assetIds: string[] };
  let certificateId: string;
  let alphaDirector: Client;
  let betaDirector: Client;
  let betaIt: Client;
  let coordinator: Client;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-http-cert-'));
    app = await startTestApp(kind, { env: { DATA_DIR: dataDir, PUBLIC_URL: 'https://cybermonitor.test' } });
    const db = app.database.db;
    const programme = await createProgramme(db);
    alpha = await createCompany(db, programme, 'Bakkerij Alpha', { joined: `${addMonths(thisMonth, -6)}-01` });
    beta = await createCompany(db, programme, 'Garage Beta', { joined: `${addMonths(thisMonth, -2)}-01` });
    await writeDailyResults(db, alpha, `${addMonths(thisMonth, -6)}-01`, yesterday, () => ({ 'tls.certificate': 'pass' }));
    // Beta: in order, until its certificate failed a minute ago (the running month's blocker).
    await writeDailyResults(db, beta, `${addMonths(thisMonth, -2)}-01`, yesterday, () => ({ 'tls.certificate': 'pass' }));
    await writeDailyResults(db, beta, today, today, () => ({ 'tls.certificate': 'fail' }), { at: () => new Date(now.getTime() - 60_000) });
    const issuer = createIssuer(db, { publicUrl: app.config.publicUrl, keys: keySettings(dataDir) });
    await runMonthlyEvaluation(db, { norms: programmeNorms(), issuer }, { now, organisationIds: [alpha.id, beta.id] });
    certificateId = (await db.selectFrom('certificates').select('id').where('organisation_id', '=', alpha.id).executeTakeFirstOrThrow()).id;
    await db.insertInto('consents').values({ organisation_id: alpha.id, kind: 'public_certificate' }).execute();

    await createUser(app.database, { email: 'directeur@alpha.test', role: 'director', organisationId: alpha.id });
    await createUser(app.database, { email: 'directeur@beta.test', role: 'director', organisationId: beta.id });
    await createUser(app.database, { email: 'it@beta.test', role: 'contact_it', organisationId: beta.id });
    const secret = generateSecret();
    await createUser(app.database, { email: 'coordinator@programma.test', role: 'coordinator', programmeId: programme, totpSecret: secret });
    alphaDirector = await apiSignIn(app.baseUrl, 'directeur@alpha.test');
    betaDirector = await apiSignIn(app.baseUrl, 'directeur@beta.test');
    betaIt = await apiSignIn(app.baseUrl, 'it@beta.test');
    coordinator = await apiSignIn(app.baseUrl, 'coordinator@programma.test', secret);
  });
  after(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the key document is public and verifies the PDF the company downloads', async () => {
    const anonymous = new Client(app.baseUrl);
    const keys = await anonymous.get('/.well-known/cyberkeurmerk-keys.json');
    assert.equal(keys.status, 200);
    const document = keys.json();
    assert.equal(document.keys.length, 1);
    assert.equal(document.keys[0].status, 'active');
    const pdf = await fetch(new URL(`/api/v1/certificates/${certificateId}/document.pdf`, app.baseUrl), { headers: { cookie: [...alphaDirector.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    const result = verifyCertificateFile(bytes, parsePublicKeys(keys.text), today);
    assert.equal(result.outcome, 'valid', JSON.stringify(result));
    assert.equal(result.statement?.company.name, 'Bakkerij Alpha');
    assert.equal(result.statement?.verifyUrl, `https://cybermonitor.test/verify/${certificateId}`);
    assert.equal(result.statement?.validFrom, `${thisMonth}-01`);
    assert.deepEqual(result.statement?.scope.measuredAreas, ['website']);
    const statement = await alphaDirector.get(`/api/v1/certificates/${certificateId}/statement.json`);
    assert.equal(verifyCertificateFile(Buffer.from(statement.text), parsePublicKeys(keys.text), today).outcome, 'valid');
    // Another company's director does not even learn that it exists.
    assert.equal((await betaDirector.get(`/api/v1/certificates/${certificateId}/document.pdf`)).status, 404);
    assert.equal((await new Client(app.baseUrl).get(`/api/v1/certificates/${certificateId}/document.pdf`)).status, 401);
  });

  test('the public verification shows the name only while the company consents', async () => {
    const anonymous = new Client(app.baseUrl);
    const page = await anonymous.get(`/verify/${certificateId}?lang=nl`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<span class="company">Bakkerij Alpha<\/span>/);
    assert.match(page.text, /data-valid="true"/);
    assert.match(page.text, /data-state="issued">Geldig</);
    const api = await anonymous.get(`/api/v1/verify/${certificateId}`);
    assert.equal(api.status, 200);
    assert.equal(api.json().company.name, 'Bakkerij Alpha');
    assert.equal(api.json().validNow, true);

    await app.database.db.updateTable('consents').set({ revoked_at: new Date() }).where('organisation_id', '=', alpha.id).execute();
    const hidden = await anonymous.get(`/verify/${certificateId}?lang=en`);
    assert.equal(hidden.status, 200);
    assert.doesNotMatch(hidden.text, /Bakkerij Alpha/);
    assert.match(hidden.text, /The company chose not to publish its name/);
    assert.equal((await anonymous.get(`/api/v1/verify/${certificateId}`)).json().company, null);
    assert.equal((await anonymous.get('/verify/00000000-0000-4000-8000-000000000009')).status, 404);
    assert.equal((await anonymous.get('/verify/not-a-certificate')).status, 404);
  });

  test('the company page says month 3 of 6, what blocks and by when', async () => {
    const page = await betaDirector.get(`/organisations/${beta.id}?lang=nl`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Maand 3 van 6/);
    assert.match(page.text, /<li data-control="WEB-01"><strong>WEB-01<\/strong> Elke website gebruikt een geldig, vertrouwd HTTPS-certificaat/);
    const fixBy = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${addDays(today, 14)}T12:00:00Z`));
    assert.ok(page.text.includes(`oplossen vóór ${fixBy}`), `fix-by date ${fixBy} in ${/<ul class="blocking">[\s\S]*?<\/ul>/.exec(page.text)?.[0]}`);
    const score = await betaDirector.get(`/api/v1/organisations/${beta.id}/score`);
    assert.equal(score.status, 200);
    const body = score.json();
    assert.equal(body.progress.monthNumber, 3);
    assert.equal(body.progress.of, 6);
    assert.equal(body.progress.blocking[0].controlId, 'WEB-01');
    assert.equal(body.score, 0);
    assert.equal(body.grade, 'F');
    assert.deepEqual(body.areas.filter((a: { measured: boolean }) => !a.measured).map((a: { area: string }) => a.area), ['mail-dns', 'network', 'computers', 'people', 'processes']);
    assert.deepEqual(body.trend.map((p: { status: string }) => p.status), ['compliant', 'compliant']);
    assert.deepEqual(body.changes, [{ controlId: 'WEB-01', from: 'passing', to: 'failing' }]);
  });

  test('the score page shows not measured areas as such, the trend and what raises the score', async () => {
    const page = await betaDirector.get(`/organisations/${beta.id}/score?lang=en`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<tr data-area="network" data-measured="false"><td>Network<\/td>\s*<td>IT<\/td><td>not measured<\/td>/);
    assert.match(page.text, /<tr data-area="website" data-measured="true"><td>Website<\/td>\s*<td>IT<\/td><td>0<\/td>/);
    assert.match(page.text, /<ol class="raisers"><li data-control="WEB-01">/);
    assert.match(page.text, new RegExp(`<tr data-month="${addMonths(thisMonth, -1)}">`));
    assert.match(page.text, /not in order/);
  });

  test('accepted risks: advisory controls only, by the director', async () => {
    const expiresOn = addDays(today, 30);
    const mandatory = await betaDirector.postJson(`/api/v1/organisations/${beta.id}/accepted-risks`, { controlId: 'WEB-01', reason: 'Later', expiresOn });
    assert.equal(mandatory.status, 400);
    assert.deepEqual(mandatory.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['controlId', 'norm.validation.mandatory_control']]);
    const byIt = await betaIt.postJson(`/api/v1/organisations/${beta.id}/accepted-risks`, { controlId: 'WEB-04', reason: 'Geen budget', expiresOn });
    assert.equal(byIt.status, 403);
    const accepted = await betaDirector.postJson(`/api/v1/organisations/${beta.id}/accepted-risks`, { controlId: 'WEB-04', reason: 'Geen budget dit jaar', expiresOn });
    assert.equal(accepted.status, 201, accepted.text);
    const listed = await betaIt.get(`/api/v1/organisations/${beta.id}/accepted-risks`);
    assert.deepEqual(listed.json().items.map((r: { controlId: string }) => r.controlId), ['WEB-04']);
    assert.equal((await alphaDirector.get(`/api/v1/organisations/${beta.id}/accepted-risks`)).status, 404);
    const audit = await app.database.db.selectFrom('audit_log').select('action').where('organisation_id', '=', beta.id).where('action', '=', 'risk.accepted').execute();
    assert.equal(audit.length, 1);
  });

  test('the score page form accepts an advisory risk and refuses a mandatory one; a certified company page shows its certificate', async () => {
    const expiresOn = addDays(today, 60);
    const refused = await betaDirector.submit(`/organisations/${beta.id}/score`, `/organisations/${beta.id}/accepted-risks`, { controlId: 'WEB-01', reason: 'Nee', expiresOn });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /A mandatory control cannot be accepted|Een verplichte eis kan niet worden geaccepteerd/);
    assert.match(refused.text, /value="Nee"/, 'the form keeps what was typed');
    const accepted = await betaDirector.submit(`/organisations/${beta.id}/score`, `/organisations/${beta.id}/accepted-risks`, { controlId: 'WEB-06', reason: 'Oude kassa-koppeling', expiresOn });
    assert.equal(accepted.status, 303);
    const page = await betaDirector.get(`/organisations/${beta.id}/score?lang=nl`);
    assert.match(page.text, /<tr data-control="WEB-06"><td>WEB-06 [^<]*<\/td><td>Oude kassa-koppeling<\/td>/);
    const certified = await alphaDirector.get(`/organisations/${alpha.id}?lang=nl`);
    assert.match(certified.text, /<p class="certified">Geldig · geldig tot en met/);
  });

  test('the norm is readable for a coordinator in Dutch and English', async () => {
    const nl = await coordinator.get('/norm?lang=nl');
    assert.equal(nl.status, 200);
    assert.match(nl.text, /<tr data-control="WEB-01" data-level="mandatory">/);
    assert.match(nl.text, /Waarom dit ertoe doet/);
    assert.match(nl.text, /wordt nog niet gemeten/);
    const en = await coordinator.get('/norm?lang=en');
    assert.match(en.text, /Every website uses a valid, trusted HTTPS certificate/);
    assert.match(en.text, /CIS Controls v8/);
    const api = await coordinator.get('/api/v1/norm');
    assert.equal(api.status, 200);
    assert.equal(api.json().controls.length, programmeNorms().latest().controls.length);
  });

  test('after a key rotation the old key stays published (retired) and its certificates still verify', async () => {
    const fresh = rotateSigningKey(keySettings(dataDir));
    await publishSigningKey(app.database.db, fresh);
    const keys = await new Client(app.baseUrl).get('/.well-known/cyberkeurmerk-keys.json');
    const published = keys.json().keys as Array<{ kid: string; status: string }>;
    assert.equal(published.length, 2);
    assert.deepEqual(published.find((k) => k.kid === fresh.keyId)?.status, 'active');
    assert.equal(published.filter((k) => k.status === 'retired').length, 1);
    const old = await app.database.db.selectFrom('certificates').select(['document', 'key_id']).where('id', '=', certificateId).executeTakeFirstOrThrow();
    assert.notEqual(old.key_id, fresh.keyId);
    assert.equal(verifyCertificateFile(old.document!, parsePublicKeys(keys.text), today).outcome, 'valid');
  });

  test('only a coordinator revokes, with a reason; the public page then says revoked', async () => {
    assert.equal((await alphaDirector.postJson(`/api/v1/certificates/${certificateId}/revoke`, { reason: 'zelf' })).status, 403);
    assert.equal((await coordinator.postJson(`/api/v1/certificates/${certificateId}/revoke`, { reason: '' })).status, 400);
    const revoked = await coordinator.postJson(`/api/v1/certificates/${certificateId}/revoke`, { reason: 'Onjuiste gegevens aangeleverd' });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.json().state, 'revoked');
    const page = await new Client(app.baseUrl).get(`/verify/${certificateId}?lang=nl`);
    assert.match(page.text, /data-valid="false"/);
    assert.match(page.text, /Ingetrokken/);
    assert.doesNotMatch(page.text, /Onjuiste gegevens/);
    const trail = await app.database.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', certificateId).orderBy('id').execute();
    assert.deepEqual(trail.map((a) => a.action), ['certificate.issued', 'certificate.revoked']);
  });
});
