// The JSON API over a real HTTP server: sign-in, tenancy (a foreign id is 404), roles, CSRF,
// validation as problem+json, the OpenAPI document, and scan requests reaching the real queue.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateSecret } from 'otplib';
import { describeEachDatabase } from '../helpers/database.ts';
import { apiSignIn, Client, createUser, PASSWORD, startTestApp, type TestApp } from './harness.ts';

describeEachDatabase('JSON API', (kind) => {
  let app: TestApp;
  const secrets = { admin: generateSecret(), partnerA: generateSecret(), partnerB: generateSecret(), insurer: generateSecret() };
  const ids: Record<string, string> = {};
  // Each account signs in once: a TOTP code is accepted only once, and login is rate limited.
  let admin: Client, partnerA: Client, partnerB: Client, insurer: Client, student: Client;
  const cookieSecret = generateSecret();

  before(async () => {
    app = await startTestApp(kind);
    const db = app.database.db;
    const programme = await db.insertInto('programmes').values({ name: 'Cyberveilig Achterhoek', region: 'Achterhoek' }).returning('id').executeTakeFirstOrThrow();
    ids.programme = programme.id;
    for (const name of ['A', 'B']) {
      const partner = await db.insertInto('partners').values({ programme_id: programme.id, name: `Partner ${name}` }).returning('id').executeTakeFirstOrThrow();
      ids[`partner${name}`] = partner.id;
    }
    const insurerRow = await db.insertInto('insurers').values({ name: 'Verzekeraar Oost' }).returning('id').executeTakeFirstOrThrow();
    ids.insurer = insurerRow.id;
    await createUser(app.database, { email: 'admin@example.org', role: 'platform_admin', totpSecret: secrets.admin });
    await createUser(app.database, { email: 'a@partner-a.example', role: 'it_partner', partnerId: ids.partnerA!, totpSecret: secrets.partnerA });
    await createUser(app.database, { email: 'b@partner-b.example', role: 'it_partner', partnerId: ids.partnerB!, totpSecret: secrets.partnerB });
    await createUser(app.database, { email: 'claims@insurer.example', role: 'insurer', insurerId: ids.insurer!, totpSecret: secrets.insurer });
    ids.student = await createUser(app.database, { email: 'student@school.example', role: 'student', programmeId: ids.programme! });
    await createUser(app.database, { email: 'cookie@example.org', role: 'coordinator', programmeId: ids.programme!, totpSecret: cookieSecret });
    admin = await apiSignIn(app.baseUrl, 'admin@example.org', secrets.admin);
    partnerA = await apiSignIn(app.baseUrl, 'a@partner-a.example', secrets.partnerA);
    partnerB = await apiSignIn(app.baseUrl, 'b@partner-b.example', secrets.partnerB);
    insurer = await apiSignIn(app.baseUrl, 'claims@insurer.example', secrets.insurer);
    student = await apiSignIn(app.baseUrl, 'student@school.example');
  });
  after(async () => app.close());

  test('requests without a session get 401 problem+json', async () => {
    const response = await new Client(app.baseUrl).get('/api/v1/organisations');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.code, 'unauthenticated');
    assert.equal(problem.status, 401);
    assert.equal(problem.title, 'Log eerst in.');
  });

  test('a wrong password is refused without saying which part was wrong', async () => {
    const client = new Client(app.baseUrl);
    const response = await client.postJson('/api/v1/auth/login', { email: 'a@partner-a.example', password: 'not the password' });
    assert.equal(response.status, 401);
    assert.equal(response.json().code, 'unauthenticated');
    const unknown = await client.postJson('/api/v1/auth/login', { email: 'nobody@nowhere.example', password: PASSWORD });
    assert.equal(unknown.json().title, response.json().title);
  });

  test('an account that needs TOTP can do nothing between password and code', async () => {
    const client = new Client(app.baseUrl);
    const login = await client.postJson('/api/v1/auth/login', { email: 'b@partner-b.example', password: PASSWORD });
    assert.equal(login.json().next, 'totp');
    client.csrfToken = login.json().csrfToken;
    assert.equal((await client.get('/api/v1/organisations')).status, 401);
    assert.equal((await client.postJson('/api/v1/auth/totp', { code: '000000' })).status, 401);
  });

  test('session cookie is HttpOnly and SameSite=Lax, and changes at the second factor', async () => {
    const client = new Client(app.baseUrl);
    const login = await client.request('POST', '/api/v1/auth/login', { json: { email: 'cookie@example.org', password: PASSWORD } });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('cm_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/i, 'plain-HTTP localhost gets no Secure flag');
    const halfSession = client.cookies.get('cm_session');
    client.csrfToken = login.json().csrfToken;
    const { generate } = await import('otplib');
    await client.postJson('/api/v1/auth/totp', { code: await generate({ secret: cookieSecret }) });
    assert.notEqual(client.cookies.get('cm_session'), halfSession, 'session id rotated');
    const stale = new Client(app.baseUrl);
    stale.cookies.set('cm_session', halfSession!);
    assert.equal((await stale.get('/api/v1/auth/me')).status, 401, 'the old id is dead');
  });

  test('tenancy: an IT partner sees only its clients; a foreign id answers 404', async () => {
    const created = await partnerA.postJson('/api/v1/organisations', { name: 'Bakkerij Jansen', kvkNumber: '12345678', city: 'Doetinchem' });
    assert.equal(created.status, 201, created.text);
    const organisation = created.json();
    assert.equal(organisation.itPartnerId, ids.partnerA);
    ids.orgA = organisation.id;
    const other = await partnerB.postJson('/api/v1/organisations', { name: 'Garage Peters', kvkNumber: '87654321' });
    assert.equal(other.status, 201, other.text);
    ids.orgB = other.json().id;

    const listA = (await partnerA.get('/api/v1/organisations')).json().items.map((o: { name: string }) => o.name);
    assert.deepEqual(listA, ['Bakkerij Jansen']);
    for (const path of ['', '/results', '/domains', '/contacts', '/scans', '/consents']) {
      const response = await partnerA.get(`/api/v1/organisations/${ids.orgB}${path}`);
      assert.equal(response.status, 404, `GET ${path} of a foreign organisation`);
      assert.doesNotMatch(response.text, /Garage Peters/);
    }
    const foreignWrite = await partnerA.postJson(`/api/v1/organisations/${ids.orgB}/domains`, { domain: 'garagepeters.nl' });
    assert.equal(foreignWrite.status, 404);
    assert.equal((await partnerA.get('/api/v1/organisations/not-a-uuid')).status, 404);
    assert.equal((await admin.get('/api/v1/organisations')).json().items.length, 2);
  });

  test('domains: validated, stored with a verification token, and a scan request reaches the queue', async () => {
    const bad = await partnerA.postJson(`/api/v1/organisations/${ids.orgA}/domains`, { domain: 'https://bakkerij.nl/contact' });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['domain', 'validation.domain_invalid']],
    );
    const added = await partnerA.postJson(`/api/v1/organisations/${ids.orgA}/domains`, { domain: 'Bakkerij-Jansen.NL.' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.json().value, 'bakkerij-jansen.nl');
    assert.match(added.json().verificationToken, /^cybermonitor-verification=[0-9a-f]{32}$/);
    const duplicate = await partnerA.postJson(`/api/v1/organisations/${ids.orgA}/domains`, { domain: 'bakkerij-jansen.nl' });
    assert.equal(duplicate.status, 409);

    const scan = await partnerA.postJson(`/api/v1/organisations/${ids.orgA}/domains/${added.json().id}/scans`, {});
    assert.equal(scan.status, 202, scan.text);
    const job = await app.queue.getScanJob(scan.json().jobId);
    assert.equal(job?.data.assetId, added.json().id);
    assert.equal(job?.data.trigger, 'manual');
    const again = await partnerA.postJson(`/api/v1/organisations/${ids.orgA}/domains/${added.json().id}/scans`, {});
    assert.equal(again.json().queued, false, 'pressing "check now" twice queues one scan');
  });

  test('validation errors name each field with a stable code', async () => {
    const response = await partnerA.postJson('/api/v1/organisations', { name: 'X', kvkNumber: '123', colour: 'blue' });
    assert.equal(response.status, 400);
    const codes = Object.fromEntries(response.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    assert.equal(codes.kvkNumber, 'validation.kvk_number');
    assert.equal(codes.name, 'validation.too_short');
    assert.equal(codes.colour, 'validation.unknown_field');
  });

  test('a signed-in JSON request without the CSRF header is refused', async () => {
    const response = await partnerA.request('POST', '/api/v1/organisations', {
      json: { name: 'Zonder Token BV', kvkNumber: '11112222' },
      headers: { 'x-csrf-token': 'wrong' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.json().code, 'csrf');
    const form = await partnerA.request('POST', '/api/v1/organisations', { form: { name: 'Form BV', kvkNumber: '11112222' } });
    assert.equal(form.status, 403, 'a cross-site form post carries the cookie but not the token');
  });

  test('students onboard but never see weaknesses; insurers see a company only with consent', async () => {
    await app.database.db.updateTable('organisations').set({ student_user_id: ids.student! }).where('id', '=', ids.orgA!).execute();
    assert.equal((await student.get(`/api/v1/organisations/${ids.orgA}`)).status, 200);
    assert.equal((await student.get(`/api/v1/organisations/${ids.orgA}/results`)).status, 403);
    assert.equal((await student.get(`/api/v1/organisations/${ids.orgB}`)).status, 404);

    assert.equal((await insurer.get(`/api/v1/organisations/${ids.orgA}`)).status, 404);
    const consent = await admin.postJson(`/api/v1/organisations/${ids.orgA}/consents`, { kind: 'insurer_data_sharing', insurerId: ids.insurer });
    assert.equal(consent.status, 201, consent.text);
    assert.equal((await insurer.get(`/api/v1/organisations/${ids.orgA}/results`)).status, 200);
    assert.equal((await insurer.request('DELETE', `/api/v1/organisations/${ids.orgA}/consents/${consent.json().id}`)).status, 403);
    const revoke = await admin.request('DELETE', `/api/v1/organisations/${ids.orgA}/consents/${consent.json().id}`, { headers: { 'x-csrf-token': admin.csrfToken! } });
    assert.equal(revoke.status, 204);
    assert.equal((await insurer.get(`/api/v1/organisations/${ids.orgA}/results`)).status, 404);
  });

  test('invitations: an IT partner may invite its client\'s director but not a coordinator', async () => {
    const director = await partnerA.postJson('/api/v1/invitations', {
      email: 'directeur@bakkerij-jansen.nl',
      name: 'Anna Jansen',
      role: 'director',
      organisationId: ids.orgA,
    });
    assert.equal(director.status, 201, director.text);
    assert.ok(app.logLines.some((line) => line.includes('directeur@bakkerij-jansen.nl') && line.includes('/invitation?token=')), 'mail logged');
    const coordinator = await partnerA.postJson('/api/v1/invitations', { email: 'c@example.org', name: 'Coördinator', role: 'coordinator', programmeId: ids.programme });
    assert.equal(coordinator.status, 403);
    const foreign = await partnerA.postJson('/api/v1/invitations', { email: 'd@garage.example', name: 'Piet Peters', role: 'director', organisationId: ids.orgB });
    assert.equal(foreign.status, 404);
    const reserved = await partnerA.postJson('/api/v1/invitations', { email: 'system-operator@cybermonitor.invalid', name: 'Sneaky', role: 'director', organisationId: ids.orgA });
    assert.equal(reserved.status, 400);
  });

  test('the OpenAPI document and its browsable view are served', async () => {
    const client = new Client(app.baseUrl);
    const document = await client.get('/api/openapi.json');
    assert.equal(document.status, 200);
    const spec = document.json();
    assert.match(spec.openapi, /^3\./);
    assert.ok(spec.paths['/api/v1/organisations'].post.requestBody, 'request bodies documented from the zod schemas');
    assert.ok(spec.paths['/api/v1/organisations/{organisationId}/domains']);
    const docs = await client.get('/api/docs/');
    assert.equal(docs.status, 200);
    assert.match(docs.text, /swagger/i);
  });

  test('login is rate limited per address', async () => {
    const client = new Client(app.baseUrl);
    let last = 0;
    for (let i = 0; i < 12; i++) {
      last = (await client.postJson('/api/v1/auth/login', { email: `nobody${i}@example.org`, password: 'x' })).status;
    }
    assert.equal(last, 429);
  });
});
