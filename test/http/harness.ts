// A real Cybermonitor HTTP service on 127.0.0.1 (random port) over a test database, with the
// real job queue, mail written to a captured log, and a cookie-keeping client.
import { Writable } from 'node:stream';
import { generate } from 'otplib';
import { pino } from 'pino';
import { hashPassword } from '../../src/auth/passwords.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseKind } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import { buildApp, type ScanRequester } from '../../src/http/app.ts';
import { createQueue, manualScanKey, type JobQueue } from '../../src/jobs/queue.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createOwnershipProver } from '../../src/ownership/prove-domain.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

export interface TestApp {
  baseUrl: string;
  database: TestDatabase;
  config: Config;
  queue: JobQueue;
  /** Every log line (JSON) the service wrote, mails included. */
  logLines: string[];
  close(): Promise<void>;
}

export async function startTestApp(
  kind: DatabaseKind,
  options: { env?: Record<string, string>; requestScan?: ScanRequester; database?: TestDatabase; queue?: JobQueue } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(kind));
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const config = loadConfig({ PORT: '3000', HOST: '127.0.0.1', ALLOW_PRIVATE_TARGETS: 'true', ...options.env });
  const ownQueue = !options.queue;
  const queue = options.queue ?? createQueue(database, { logger, background: false });
  if (ownQueue) await queue.start();
  const requestScan: ScanRequester =
    options.requestScan ??
    (({ organisationId, assetId, requestedBy }) =>
      queue.enqueueScan({ organisationId, assetId, trigger: 'manual', requestedBy }, { singletonKey: manualScanKey(assetId) }));
  const mailer = createMailer({ from: config.mailFrom, logger, smtpUrl: null });
  const proveOwnership = createOwnershipProver({ resolver: config.dnsResolver, timeoutMs: 2000, allowPrivate: true });
  const app = await buildApp({ database, config, logger, mailer, requestScan, proveOwnership });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    database,
    config,
    queue,
    logLines,
    async close() {
      await app.close();
      if (ownQueue) await queue.stop();
      if (!options.database) await database.close();
    },
  };
}

/** A browser-like client: keeps cookies, never follows redirects on its own. */
export class Client {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
      if (this.csrfToken && !headers['x-csrf-token']) headers['x-csrf-token'] = this.csrfToken;
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie) || /max-age=0\b/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as any };
  }

  get = (path: string) => this.request('GET', path);
  postJson = (path: string, json: unknown) => this.request('POST', path, { json });
  /** Posts a form the way a browser does after loading `pagePath`: with the page's CSRF token. */
  async submit(pagePath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(pagePath);
    const token = csrfFromPage(page.text);
    return this.request('POST', action, { form: { _csrf: token, ...fields } });
  }
}

export const csrfFromPage = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('page has no CSRF token');
  return match[1]!;
};

export const PASSWORD = 'correct horse battery staple';

/** A user made directly in the database, with TOTP already enrolled when the role needs it. */
export async function createUser(
  database: TestDatabase,
  options: { email: string; role: Role; programmeId?: string; partnerId?: string; organisationId?: string; insurerId?: string; totpSecret?: string },
) {
  const user = await database.db
    .insertInto('users')
    .values({
      email: options.email,
      name: options.email.split('@')[0]!,
      password_hash: await hashPassword(PASSWORD),
      status: 'active',
      totp_secret: options.totpSecret ?? null,
      totp_enabled_at: options.totpSecret ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('memberships')
    .values({
      user_id: user.id,
      role: options.role,
      programme_id: options.programmeId ?? null,
      partner_id: options.partnerId ?? null,
      organisation_id: options.organisationId ?? null,
      insurer_id: options.insurerId ?? null,
    })
    .execute();
  return user.id;
}

/** Signs in through the API (password, then TOTP when the account has it). */
export async function apiSignIn(baseUrl: string, email: string, totpSecret?: string): Promise<Client> {
  const client = new Client(baseUrl);
  const login = await client.postJson('/api/v1/auth/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  client.csrfToken = login.json().csrfToken;
  if (login.json().next === 'totp') {
    if (!totpSecret) throw new Error('account needs TOTP');
    const second = await client.postJson('/api/v1/auth/totp', { code: await generate({ secret: totpSecret }) });
    if (second.status !== 200) throw new Error(`totp failed: ${second.status} ${second.text}`);
    client.csrfToken = second.json().csrfToken;
  }
  return client;
}
