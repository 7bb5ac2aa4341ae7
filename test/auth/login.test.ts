import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { passwordLogin, secondFactorLogin, userRequiresTotp } from '../../src/auth/login.ts';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../../src/auth/totp-enrolment.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { PASSWORD, auditActions, createUser, rejectsWith, totpCode } from './helpers.ts';

describeEachDatabase('password login, lockout and second factor', (kind) => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(kind);
  });
  after(async () => database.close());
  const db = () => database.db;

  it('signs in with the right password, case-insensitive email, and records it', async () => {
    const userId = await createUser(db(), { email: 'anna@example.nl' });
    const result = await passwordLogin(db(), { email: '  Anna@Example.NL ', password: PASSWORD, ip: '127.0.0.1' });
    assert.deepEqual(result, { userId, next: 'done' });
    const user = await db().selectFrom('users').select(['last_login_at', 'failed_logins']).where('id', '=', userId).executeTakeFirstOrThrow();
    assert.ok(user.last_login_at instanceof Date);
    assert.equal(user.failed_logins, 0);
    assert.deepEqual(await auditActions(db(), userId), ['login.succeeded']);
  });

  it('refuses a wrong password, an unknown email, an invited or disabled user with the same generic error', async () => {
    const userId = await createUser(db(), { email: 'bert@example.nl' });
    await createUser(db(), { email: 'invited@example.nl', status: 'invited', password: null });
    await createUser(db(), { email: 'disabled@example.nl', status: 'disabled' });
    for (const [email, password] of [
      ['bert@example.nl', 'wrong password!'],
      ['nobody@example.nl', PASSWORD],
      ['invited@example.nl', PASSWORD],
      ['disabled@example.nl', PASSWORD],
      ['', ''],
      ['bert@example.nl', 'x'.repeat(5000)],
    ] as const) {
      await rejectsWith(passwordLogin(db(), { email, password, ip: '127.0.0.1' }), 'unauthenticated', 'auth.invalid_credentials');
    }
    const failed = await db().selectFrom('audit_log').select(['subject_id', 'details']).where('action', '=', 'login.failed').execute();
    assert.ok(failed.some((row) => row.details.reason === 'unknown_email' && row.details.email === 'nobody@example.nl'));
    assert.ok(failed.some((row) => row.subject_id === userId && row.details.reason === 'wrong_password'));
  });

  it('locks after five failures in a row, refuses even the right password while locked, and unlocks after the window', async () => {
    const userId = await createUser(db(), { email: 'carla@example.nl' });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await rejectsWith(passwordLogin(db(), { email: 'carla@example.nl', password: 'wrong password!', ip: '127.0.0.1' }), 'unauthenticated');
    }
    const locked = (await rejectsWith(
      passwordLogin(db(), { email: 'carla@example.nl', password: 'wrong password!', ip: '127.0.0.1' }),
      'locked',
      'auth.locked',
    )) as { params: { minutes: number } };
    assert.equal(locked.params.minutes, 15);
    const { locked_until: lockedUntil } = await db().selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirstOrThrow();
    assert.ok(lockedUntil && lockedUntil.getTime() > Date.now() + 14 * 60_000);

    await rejectsWith(passwordLogin(db(), { email: 'carla@example.nl', password: PASSWORD, ip: '127.0.0.1' }), 'locked');
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await rejectsWith(passwordLogin(db(), { email: 'carla@example.nl', password: 'wrong password!', ip: '127.0.0.1' }), 'locked');
    }
    const after = await db().selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirstOrThrow();
    assert.deepEqual(after.locked_until, lockedUntil, 'attempts while locked do not extend the lock');
    assert.equal((await auditActions(db(), userId)).filter((action) => action === 'login.locked').length, 1);

    // The window passes.
    await db().updateTable('users').set({ locked_until: sql<Date>`now() - interval '1 second'` }).where('id', '=', userId).execute();
    assert.deepEqual(await passwordLogin(db(), { email: 'carla@example.nl', password: PASSWORD, ip: '127.0.0.1' }), { userId, next: 'done' });
    const reset = await db().selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', userId).executeTakeFirstOrThrow();
    assert.deepEqual(reset, { failed_logins: 0, locked_until: null });
  });

  it('a success in between starts the count again', async () => {
    await createUser(db(), { email: 'dirk@example.nl' });
    for (let round = 0; round < 2; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await rejectsWith(passwordLogin(db(), { email: 'dirk@example.nl', password: 'wrong password!' }), 'unauthenticated');
      }
      await passwordLogin(db(), { email: 'dirk@example.nl', password: PASSWORD });
    }
  });

  it('sends a role that needs TOTP to enrolment, then to the second factor; codes are single-use', async () => {
    const userId = await createUser(db(), { email: 'admin@example.nl', role: 'platform_admin' });
    assert.equal(await userRequiresTotp(db(), userId), true);
    assert.deepEqual(await passwordLogin(db(), { email: 'admin@example.nl', password: PASSWORD }), { userId, next: 'enrol_totp' });

    const enrolment = await beginTotpEnrolment(db(), userId);
    assert.match(enrolment.uri, /^otpauth:\/\/totp\/Cybermonitor:admin%40example\.nl\?secret=/);
    assert.match(enrolment.qrSvg, /<svg/);
    await rejectsWith(confirmTotpEnrolment(db(), userId, '000000'), 'unauthenticated', 'auth.totp_invalid');
    const enrolCode = await totpCode(enrolment.secret);
    await confirmTotpEnrolment(db(), userId, enrolCode);
    await rejectsWith(beginTotpEnrolment(db(), userId), 'conflict', 'auth.totp_already_enabled');

    assert.deepEqual(await passwordLogin(db(), { email: 'admin@example.nl', password: PASSWORD }), { userId, next: 'totp' });
    // The code used for enrolment cannot sign in: its step is spent.
    await rejectsWith(secondFactorLogin(db(), { userId, code: enrolCode, ip: '127.0.0.1' }), 'unauthenticated', 'auth.totp_invalid');
    const next = await totpCode(enrolment.secret, 1);
    await secondFactorLogin(db(), { userId, code: next, ip: '127.0.0.1' });
    await rejectsWith(secondFactorLogin(db(), { userId, code: next, ip: '127.0.0.1' }), 'unauthenticated', 'auth.totp_invalid');

    const actions = await auditActions(db(), userId);
    for (const expected of ['totp.enrolled', 'totp.failed', 'login.succeeded']) assert.ok(actions.includes(expected), expected);
  });

  it('counts wrong codes toward the lockout, and a correct password does not forgive them', async () => {
    const userId = await createUser(db(), { email: 'eva@example.nl', role: 'platform_admin' });
    const { secret } = await beginTotpEnrolment(db(), userId);
    await confirmTotpEnrolment(db(), userId, await totpCode(secret));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      assert.equal((await passwordLogin(db(), { email: 'eva@example.nl', password: PASSWORD })).next, 'totp');
      await rejectsWith(secondFactorLogin(db(), { userId, code: '000000' }), 'unauthenticated');
      await rejectsWith(secondFactorLogin(db(), { userId, code: 'abc' }), 'unauthenticated');
    }
    await passwordLogin(db(), { email: 'eva@example.nl', password: PASSWORD });
    await rejectsWith(secondFactorLogin(db(), { userId, code: '000001' }), 'locked', 'auth.locked');
    await rejectsWith(secondFactorLogin(db(), { userId, code: await totpCode(secret, 1) }), 'locked');
    await rejectsWith(passwordLogin(db(), { email: 'eva@example.nl', password: PASSWORD }), 'locked');
  });

  it('refuses a second factor for a user without TOTP', async () => {
    const userId = await createUser(db(), { email: 'frank@example.nl' });
    await rejectsWith(secondFactorLogin(db(), { userId, code: '123456' }), 'unauthenticated', 'auth.totp_invalid');
  });
});
