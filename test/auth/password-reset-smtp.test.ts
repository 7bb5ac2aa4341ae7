// Password reset end to end through a real SMTP server on loopback that speaks STARTTLS with a
// certificate from a test CA made here; the mailer trusts that CA and nothing else.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { passwordLogin } from '../../src/auth/login.ts';
import { requestPasswordReset, resetPassword } from '../../src/auth/password-reset.ts';
import { createSession, loadSession } from '../../src/auth/sessions.ts';
import { sendInvitationMail } from '../../src/auth/invitations.ts';
import { createMailer, type Mailer } from '../../src/mail/mailer.ts';
import { silentLogger } from '../../src/logger.ts';
import { createTestCa, type TestCa } from '../fixtures/test-pki.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/database.ts';
import { PASSWORD, auditActions, createUser, rejectsWith } from './helpers.ts';

interface ReceivedMail {
  from: string;
  to: string[];
  secure: boolean;
  raw: string;
}

interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  next(): Promise<ReceivedMail>;
  close(): Promise<void>;
}

async function startSmtpServer(ca: TestCa, options: { noStartTls?: boolean } = {}): Promise<TestSmtpServer> {
  const leaf = await ca.issue({ names: ['localhost'] });
  const received: ReceivedMail[] = [];
  const waiting: ((mail: ReceivedMail) => void)[] = [];
  const server = new SMTPServer({
    key: leaf.keyPem,
    cert: leaf.certPem,
    authOptional: true,
    ...(options.noStartTls ? { disabledCommands: ['STARTTLS'] } : {}),
    size: 1_000_000,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(mail);
        waiting.shift()?.(mail);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?requireTLS=true`,
    received,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The text part of a simple message, undoing quoted-printable or base64 transfer encoding. */
function bodyText(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

const header = (raw: string, name: string): string | undefined =>
  new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(raw)?.[1]?.trim();

describeEachDatabase('password reset through SMTP with STARTTLS', (kind) => {
  let database: TestDatabase;
  let ca: TestCa;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  before(async () => {
    database = await createTestDatabase(kind);
    ca = await createTestCa();
    smtp = await startSmtpServer(ca);
    mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Cybermonitor <no-reply@cybermonitor.test>',
      logger: silentLogger(),
      tls: { ca: ca.certPem, servername: 'localhost' },
    });
  });
  after(async () => {
    mailer.close();
    await smtp.close();
    await database.close();
  });
  const db = () => database.db;

  it('mails a link in the user’s language, resets the password, ends the old sessions', async () => {
    const userId = await createUser(db(), { email: 'greet@example.nl', language: 'nl' });
    const oldSession = await createSession(db(), { userId, mfaPassed: true });
    const arrived = smtp.next();
    const request = await requestPasswordReset(db(), ' Greet@Example.nl', { mailer, publicUrl: 'https://monitor.example.nl/', ip: '127.0.0.1' });
    await request.mailSent;
    const mail = await arrived;

    assert.equal(mail.secure, true, 'sent after STARTTLS');
    assert.deepEqual(mail.to, ['greet@example.nl']);
    assert.equal(mail.from, 'no-reply@cybermonitor.test');
    assert.equal(header(mail.raw, 'Subject'), 'Nieuw wachtwoord voor de Cybermonitor');
    const text = bodyText(mail.raw);
    assert.match(text, /^Beste greet,/);
    assert.match(text, /één keer/);
    const link = /https:\/\/monitor\.example\.nl\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(text);
    assert.ok(link?.[1], `no link in:\n${text}`);

    await rejectsWith(resetPassword(db(), link[1], 'kort'), 'validation');
    const newPassword = 'een gloednieuw wachtwoord';
    assert.equal(await resetPassword(db(), link[1], newPassword, { ip: '127.0.0.1' }), userId);
    assert.equal(await loadSession(db(), oldSession.token), null, 'old sessions are gone');
    await rejectsWith(resetPassword(db(), link[1], 'nog een ander wachtwoord'), 'invalid_token', 'auth.token_invalid');

    await rejectsWith(passwordLogin(db(), { email: 'greet@example.nl', password: PASSWORD }), 'unauthenticated');
    assert.deepEqual(await passwordLogin(db(), { email: 'greet@example.nl', password: newPassword }), { userId, next: 'done' });
    const actions = await auditActions(db(), userId);
    assert.ok(actions.includes('password.reset_requested') && actions.includes('password.reset'));
  });

  it('lifts a lock, and only the newest link works', async () => {
    const userId = await createUser(db(), { email: 'henk@example.nl', language: 'en' });
    await db().updateTable('users').set({ locked_until: new Date(Date.now() + 600_000), failed_logins: 3 }).where('id', '=', userId).execute();
    const first = smtp.next();
    await (await requestPasswordReset(db(), 'henk@example.nl', { mailer, publicUrl: 'http://localhost:3000' })).mailSent;
    const second = smtp.next();
    await (await requestPasswordReset(db(), 'henk@example.nl', { mailer, publicUrl: 'http://localhost:3000' })).mailSent;
    const tokenOf = async (mail: Promise<ReceivedMail>) => {
      const received = await mail;
      assert.equal(header(received.raw, 'Subject'), 'New password for the Cybermonitor');
      return /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(bodyText(received.raw))?.[1] ?? '';
    };
    const [oldToken, newToken] = [await tokenOf(first), await tokenOf(second)];
    await rejectsWith(resetPassword(db(), oldToken, 'een gloednieuw wachtwoord'), 'invalid_token');
    await resetPassword(db(), newToken, 'een gloednieuw wachtwoord');
    const user = await db().selectFrom('users').select(['locked_until', 'failed_logins']).where('id', '=', userId).executeTakeFirstOrThrow();
    assert.deepEqual(user, { locked_until: null, failed_logins: 0 });
  });

  it('sends nothing for unknown, invited or disabled addresses, but audits the request', async () => {
    await createUser(db(), { email: 'uit@example.nl', status: 'disabled' });
    await createUser(db(), { email: 'nieuw@example.nl', status: 'invited', password: null });
    const before = smtp.received.length;
    for (const email of ['niemand@example.nl', 'uit@example.nl', 'nieuw@example.nl', '']) {
      await (await requestPasswordReset(db(), email, { mailer, publicUrl: 'http://localhost:3000' })).mailSent;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(smtp.received.length, before);
    const requests = await db().selectFrom('audit_log').select('details').where('action', '=', 'password.reset_requested').execute();
    assert.ok(requests.some((row) => row.details.email === 'niemand@example.nl' && row.details.sent === false));
  });

  it('sends the invitation mail', async () => {
    const arrived = smtp.next();
    await sendInvitationMail(mailer, { to: 'ivo@example.nl', name: 'Ivo', language: 'en', link: 'https://m.example/invitation?token=abc', inviterName: 'Anna' });
    const mail = await arrived;
    assert.equal(header(mail.raw, 'Subject'), 'Anna invites you to the Cybermonitor');
    assert.match(bodyText(mail.raw), /https:\/\/m\.example\/invitation\?token=abc/);
  });
});

describe('mailer', () => {
  it('refuses to send in plain text when the URL requires TLS and the server offers no STARTTLS', async () => {
    const ca = await createTestCa();
    const plain = await startSmtpServer(ca, { noStartTls: true });
    const mailer = createMailer({ smtpUrl: plain.url, from: 'x@cybermonitor.test', logger: silentLogger(), tls: { ca: ca.certPem, servername: 'localhost' } });
    try {
      await assert.rejects(mailer.send({ to: 'a@example.nl', subject: 's', text: 't' }), /STARTTLS/i);
      assert.equal(plain.received.length, 0);
    } finally {
      mailer.close();
      await plain.close();
    }
  });

  it('audits a reset mail that could not be delivered, without throwing', async () => {
    const database = await createTestDatabase('pglite');
    const probe = createTcpServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'x@cybermonitor.test', logger: silentLogger() });
    try {
      const userId = await createUser(database.db, { email: 'pech@example.nl' });
      await (await requestPasswordReset(database.db, 'pech@example.nl', { mailer, publicUrl: 'http://localhost:3000' })).mailSent;
      assert.ok((await auditActions(database.db, userId)).includes('mail.failed'));
    } finally {
      mailer.close();
      await database.close();
    }
  });

  it('without SMTP writes the mail, link included, to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    });
    const mailer = createMailer({ smtpUrl: null, from: 'x@cybermonitor.test', logger: pino({ level: 'info' }, sink) });
    await sendInvitationMail(mailer, {
      to: 'nina@example.nl',
      name: 'Nina',
      language: 'nl',
      link: 'http://localhost:3000/invitation?token=TOKEN123',
      inviterName: 'Anna\r\nBcc: evil@example.com',
    });
    mailer.close();
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? '{}') as { level: number; mail: { to: string; subject: string; text: string } };
    assert.equal(entry.level, 30, 'info');
    assert.equal(entry.mail.to, 'nina@example.nl');
    assert.equal(entry.mail.subject, 'Anna Bcc: evil@example.com nodigt u uit voor de Cybermonitor', 'no line break reaches a header');
    assert.match(entry.mail.text, /http:\/\/localhost:3000\/invitation\?token=TOKEN123/);
    assert.match(entry.mail.text, /^Beste Nina,/);
  });
});
