import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { acceptInvitation, createInvitation } from '../../src/auth/invitations.ts';
import { passwordLogin } from '../../src/auth/login.ts';
import { completeSetup, issueSetupToken, needsSetup } from '../../src/auth/setup.ts';
import { peekToken } from '../../src/auth/tokens.ts';
import type { Actor } from '../../src/authz/actor.ts';
import { loadActor } from '../../src/authz/actor.ts';
import { invitationInput, type InvitationInput } from '../../src/domain/inputs.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { PASSWORD, auditActions, createUser, rejectsWith } from './helpers.ts';

const NEW_PASSWORD = 'een heel nieuw wachtwoord';

describeEachDatabase('first setup', (kind) => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(kind);
  });
  after(async () => database.close());
  const db = () => database.db;

  it('creates the first platform admin with a single-use token, once', async () => {
    assert.equal(await needsSetup(db()), true);
    const older = await issueSetupToken(db());
    const token = await issueSetupToken(db());
    assert.equal(await peekToken(db(), older, 'setup'), null, 'a newer token retires the older one');

    const input = { email: 'Beheer@Example.nl', name: 'Beheerder', password: PASSWORD, language: 'en' as const };
    await rejectsWith(completeSetup(db(), token, { ...input, password: 'kort' }), 'validation');
    assert.notEqual(await peekToken(db(), token, 'setup'), null, 'a typo does not burn the token');

    const userId = await completeSetup(db(), token, input, { ip: '127.0.0.1' });
    const actor = await loadActor(db(), userId);
    assert.equal(actor?.email, 'beheer@example.nl');
    assert.equal(actor?.language, 'en');
    assert.deepEqual(actor?.grants.map((g) => g.role), ['platform_admin']);
    assert.equal(await needsSetup(db()), false);
    assert.ok((await auditActions(db(), userId)).includes('setup.completed'));
    assert.equal((await passwordLogin(db(), { email: 'beheer@example.nl', password: PASSWORD })).next, 'enrol_totp');

    await rejectsWith(completeSetup(db(), token, { ...input, email: 'tweede@example.nl' }), 'invalid_token', 'auth.token_invalid');
    const late = await issueSetupToken(db());
    await rejectsWith(completeSetup(db(), late, { ...input, email: 'derde@example.nl' }), 'invalid_token', 'auth.token_invalid');
    assert.equal((await db().selectFrom('memberships').select('id').where('role', '=', 'platform_admin').execute()).length, 1);
  });
});

describeEachDatabase('invitations', (kind) => {
  let database: TestDatabase;
  let admin: Actor;
  let organisationId: string;
  let programmeId: string;
  before(async () => {
    database = await createTestDatabase(kind);
    const adminId = await createUser(database.db, { email: 'admin@example.nl', role: 'platform_admin' });
    admin = (await loadActor(database.db, adminId)) as Actor;
    const programme = await database.db
      .insertInto('programmes')
      .values({ name: 'Cyberveilig Dorp', region: 'Dorp' })
      .returning('id')
      .executeTakeFirstOrThrow();
    programmeId = programme.id;
    const organisation = await database.db
      .insertInto('organisations')
      .values({ programme_id: programme.id, name: 'Bakkerij', kvk_number: '12345678', schedule_minute: 60 })
      .returning('id')
      .executeTakeFirstOrThrow();
    organisationId = organisation.id;
  });
  after(async () => database.close());
  const db = () => database.db;
  const invite = (values: Record<string, unknown>): InvitationInput => invitationInput.parse(values);

  it('invites a new person, who sets a password through the link and can then sign in', async () => {
    const input = invite({ email: 'Directeur@Bakkerij.nl', name: 'Dina Directeur', role: 'director', organisationId, language: 'en' });
    const invitation = await createInvitation(db(), admin, input, { organisationProgrammeId: programmeId });
    assert.equal(invitation.newUser, true);
    const user = await db().selectFrom('users').selectAll().where('id', '=', invitation.userId).executeTakeFirstOrThrow();
    assert.equal(user.email, 'directeur@bakkerij.nl');
    assert.equal(user.status, 'invited');
    assert.equal(user.password_hash, null);
    assert.equal(user.language, 'en');
    await rejectsWith(passwordLogin(db(), { email: 'directeur@bakkerij.nl', password: NEW_PASSWORD }), 'unauthenticated');

    await rejectsWith(acceptInvitation(db(), invitation.token, { password: 'te kort' }), 'validation');
    const userId = await acceptInvitation(db(), invitation.token, { password: NEW_PASSWORD, name: 'Dina D.' });
    assert.equal(userId, invitation.userId);
    await rejectsWith(acceptInvitation(db(), invitation.token, { password: NEW_PASSWORD }), 'invalid_token', 'auth.token_invalid');
    assert.deepEqual(await passwordLogin(db(), { email: 'directeur@bakkerij.nl', password: NEW_PASSWORD }), { userId, next: 'done' });
    const actor = await loadActor(db(), userId);
    assert.equal(actor?.name, 'Dina D.');
    assert.deepEqual(actor?.grants, [{ role: 'director', programmeId: null, partnerId: null, insurerId: null, organisationId }]);
    const actions = await auditActions(db(), userId);
    assert.ok(actions.includes('invitation.created') && actions.includes('invitation.accepted'));
  });

  it('gives an existing account the new membership, and refuses the same membership twice', async () => {
    const existingId = await createUser(db(), { email: 'it@bakkerij.nl' });
    const input = invite({ email: 'it@bakkerij.nl', name: 'Ivo', role: 'contact_it', organisationId });
    const invitation = await createInvitation(db(), admin, input, {});
    assert.equal(invitation.userId, existingId);
    assert.equal(invitation.newUser, false);
    await rejectsWith(createInvitation(db(), admin, input, {}), 'conflict', 'auth.membership_exists');
  });

  it('checks the grant once more and refuses a membership without its scope', async () => {
    const directorId = await createUser(db(), { email: 'baas@bakkerij.nl' });
    await db().insertInto('memberships').values({ user_id: directorId, role: 'director', organisation_id: organisationId }).execute();
    const director = (await loadActor(db(), directorId)) as Actor;
    await rejectsWith(
      createInvitation(db(), director, invite({ email: 'x@example.nl', name: 'Xander', role: 'platform_admin' }), {}),
      'forbidden',
    );
    await createInvitation(db(), director, invite({ email: 'hr@bakkerij.nl', name: 'Hanna', role: 'contact_hr', organisationId }), {});
    const scopeless = await rejectsWith(
      createInvitation(db(), admin, invite({ email: 'coord@example.nl', name: 'Coby', role: 'coordinator' }), {}),
      'validation',
    );
    assert.equal((scopeless as { fields: { messageKey: string }[] }).fields[0]?.messageKey, 'validation.role_scope');
    assert.equal(await db().selectFrom('users').select('id').where('email', '=', 'coord@example.nl').executeTakeFirst(), undefined, 'rolled back');
  });

  it('does not invite a disabled account', async () => {
    await createUser(db(), { email: 'weg@bakkerij.nl', status: 'disabled' });
    await rejectsWith(
      createInvitation(db(), admin, invite({ email: 'weg@bakkerij.nl', name: 'Weg', role: 'contact_web', organisationId }), {}),
      'conflict',
      'auth.user_disabled',
    );
  });
});
