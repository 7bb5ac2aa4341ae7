import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import {
  ABSOLUTE_LIFETIME_MS,
  createSession,
  destroySession,
  destroyUserSessions,
  loadSession,
  purgeExpiredSessions,
  rotateSession,
  sessionIdHash,
} from '../../src/auth/sessions.ts';
import { consumeToken, issueToken, peekToken } from '../../src/auth/tokens.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { auditActions, createUser, rejectsWith } from './helpers.ts';

describeEachDatabase('sessions', (kind) => {
  let database: TestDatabase;
  let userId: string;
  before(async () => {
    database = await createTestDatabase(kind);
    userId = await createUser(database.db, { email: 'sessie@example.nl', password: null });
  });
  after(async () => database.close());
  const db = () => database.db;

  it('creates a session whose token is stored only as a hash, and loads it', async () => {
    const session = await createSession(db(), { userId, mfaPassed: true, ip: '127.0.0.1', userAgent: 'test' });
    assert.match(session.token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Math.abs(session.expiresAt.getTime() - Date.now() - ABSOLUTE_LIFETIME_MS) < 5_000);
    const rows = await db().selectFrom('sessions').select('id_hash').execute();
    assert.ok(rows.every((row) => row.id_hash !== session.token));
    const loaded = await loadSession(db(), session.token);
    assert.deepEqual(loaded, {
      userId,
      csrfToken: session.csrfToken,
      mfaPassed: true,
      idHash: sessionIdHash(session.token),
      expiresAt: session.expiresAt,
    });
    assert.equal(await loadSession(db(), 'x'.repeat(43)), null);
    assert.equal(await loadSession(db(), "'; drop table sessions; --"), null);
  });

  it('ends a session after 30 idle minutes and after its 12-hour lifetime', async () => {
    const idle = await createSession(db(), { userId, mfaPassed: true });
    await db().updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '31 minutes'` }).where('id_hash', '=', sessionIdHash(idle.token)).execute();
    assert.equal(await loadSession(db(), idle.token), null);
    assert.equal((await db().selectFrom('sessions').select('id_hash').where('id_hash', '=', sessionIdHash(idle.token)).execute()).length, 0);

    const old = await createSession(db(), { userId, mfaPassed: true });
    await db().updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id_hash', '=', sessionIdHash(old.token)).execute();
    assert.equal(await loadSession(db(), old.token), null);
  });

  it('touches last_seen_at at most once a minute', async () => {
    const session = await createSession(db(), { userId, mfaPassed: true });
    const hash = sessionIdHash(session.token);
    const lastSeen = async () =>
      (await db().selectFrom('sessions').select('last_seen_at').where('id_hash', '=', hash).executeTakeFirstOrThrow()).last_seen_at.getTime();
    await db().updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '20 seconds'` }).where('id_hash', '=', hash).execute();
    const before = await lastSeen();
    await loadSession(db(), session.token);
    assert.equal(await lastSeen(), before, 'not touched within the minute');
    await db().updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '29 minutes'` }).where('id_hash', '=', hash).execute();
    await loadSession(db(), session.token);
    assert.ok(Date.now() - (await lastSeen()) < 5_000, 'touched');
  });

  it('rotates: the old token dies, the new one carries the second factor', async () => {
    const first = await createSession(db(), { userId, mfaPassed: false, ip: '127.0.0.1' });
    const second = await rotateSession(db(), first.token, { mfaPassed: true, ip: '127.0.0.1' });
    assert.notEqual(second.token, first.token);
    assert.notEqual(second.csrfToken, first.csrfToken);
    assert.equal(await loadSession(db(), first.token), null);
    assert.equal((await loadSession(db(), second.token))?.mfaPassed, true);
    await rejectsWith(rotateSession(db(), first.token, { mfaPassed: true }), 'unauthenticated', 'auth.session_invalid');
    assert.ok((await auditActions(db(), userId)).includes('session.rotated'));
  });

  it('destroys one session, or all of a user but one', async () => {
    const a = await createSession(db(), { userId, mfaPassed: true });
    const b = await createSession(db(), { userId, mfaPassed: true });
    const c = await createSession(db(), { userId, mfaPassed: true });
    await destroySession(db(), a.token, { ip: '127.0.0.1' });
    assert.equal(await loadSession(db(), a.token), null);
    assert.ok((await auditActions(db(), userId)).includes('logout'));
    await destroyUserSessions(db(), userId, sessionIdHash(c.token));
    assert.equal(await loadSession(db(), b.token), null);
    assert.notEqual(await loadSession(db(), c.token), null);
    await destroyUserSessions(db(), userId);
    assert.equal(await loadSession(db(), c.token), null);
  });

  it('drops the session of a user who is no longer active', async () => {
    const session = await createSession(db(), { userId, mfaPassed: true });
    await db().updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute();
    assert.equal(await loadSession(db(), session.token), null);
    await db().updateTable('users').set({ status: 'active' }).where('id', '=', userId).execute();
    assert.equal(await loadSession(db(), session.token), null, 'it stays gone');
  });

  it('purges expired sessions', async () => {
    const live = await createSession(db(), { userId, mfaPassed: true });
    const dead = await createSession(db(), { userId, mfaPassed: true });
    await db().updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id_hash', '=', sessionIdHash(dead.token)).execute();
    assert.equal(await purgeExpiredSessions(db()), 1);
    assert.notEqual(await loadSession(db(), live.token), null);
  });
});

describeEachDatabase('one-time tokens', (kind) => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(kind);
  });
  after(async () => database.close());
  const db = () => database.db;

  it('is stored as a hash and consumed exactly once', async () => {
    const userId = await createUser(db(), { email: 'token@example.nl', password: null });
    const raw = await issueToken(db(), { purpose: 'password_reset', userId, ttlMs: 60_000, data: { why: 'test' } });
    assert.match(raw, /^[A-Za-z0-9_-]{43}$/);
    const stored = await db().selectFrom('one_time_tokens').select('token_hash').execute();
    assert.ok(stored.every((row) => row.token_hash !== raw));

    assert.equal((await peekToken(db(), raw, 'password_reset'))?.userId, userId);
    assert.equal(await peekToken(db(), raw, 'invitation'), null);
    await rejectsWith(consumeToken(db(), raw, 'invitation'), 'invalid_token', 'auth.token_invalid');
    const results = await Promise.allSettled([consumeToken(db(), raw, 'password_reset'), consumeToken(db(), raw, 'password_reset')]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'two racing uses: one wins');
    const won = results.find((r) => r.status === 'fulfilled');
    assert.deepEqual(won?.status === 'fulfilled' ? won.value.data : null, { why: 'test' });
    assert.equal(await peekToken(db(), raw, 'password_reset'), null);
    await rejectsWith(consumeToken(db(), raw, 'password_reset'), 'invalid_token');
  });

  it('refuses expired, unknown and malformed tokens', async () => {
    const raw = await issueToken(db(), { purpose: 'setup', ttlMs: 60_000 });
    await db().updateTable('one_time_tokens').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('purpose', '=', 'setup').execute();
    assert.equal(await peekToken(db(), raw, 'setup'), null);
    await rejectsWith(consumeToken(db(), raw, 'setup'), 'invalid_token');
    await rejectsWith(consumeToken(db(), 'A'.repeat(43), 'setup'), 'invalid_token');
    await rejectsWith(consumeToken(db(), '', 'setup'), 'invalid_token');
    await rejectsWith(consumeToken(db(), `${raw}x`, 'setup'), 'invalid_token');
  });
});
