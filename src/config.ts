// Configuration comes from environment variables only (twelve-factor), validated once at start.
import { z } from 'zod';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const hostPort = z
  .string()
  .regex(/^[^\s:]+(:\d{1,5})?$/, 'expected HOST or HOST:PORT')
  .optional();

const environmentSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Cybermonitor <no-reply@cybermonitor.invalid>'),
  DNS_RESOLVER: hostPort,
  ALLOW_PRIVATE_TARGETS: booleanFlag,
  RUN_WORKER: z.enum(['1', '0', 'true', 'false', '']).optional(),
  SCHEDULE_TIMEZONE: z.string().default('Europe/Amsterdam'),
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  DNSBL_ZONES: z.string().optional(),
  CT_SEARCH_URL: z.string().optional(),
  RDAP_BOOTSTRAP_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  /** Cookies get `Secure` when the public URL is https (the service sits behind TLS). */
  secureCookies: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  dnsResolver: string | undefined;
  allowPrivateTargets: boolean;
  /** Run the job worker inside `serve` (default with the embedded database). */
  runWorkerInProcess: boolean;
  scheduleTimezone: string;
  scanConcurrency: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** Outside sources of the DNS and reputation checks; `off` switches one off. */
  dnsSources: { dnsblZones?: string[]; certificateTransparencyUrl?: string | null; rdapBootstrapUrl?: string | null };
}

const sourceUrl = (value: string | undefined): string | null | undefined => (value === undefined ? undefined : value === 'off' ? null : value);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=` in an env file) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const runWorker = e.RUN_WORKER === undefined || e.RUN_WORKER === '' ? true : e.RUN_WORKER === '1' || e.RUN_WORKER === 'true';
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    dnsResolver: e.DNS_RESOLVER,
    allowPrivateTargets: e.ALLOW_PRIVATE_TARGETS,
    runWorkerInProcess: runWorker,
    scheduleTimezone: e.SCHEDULE_TIMEZONE,
    scanConcurrency: e.SCAN_CONCURRENCY,
    logLevel: e.LOG_LEVEL,
    dnsSources: {
      ...(e.DNSBL_ZONES !== undefined ? { dnsblZones: e.DNSBL_ZONES.split(',').map((zone) => zone.trim()).filter(Boolean) } : {}),
      ...(sourceUrl(e.CT_SEARCH_URL) !== undefined ? { certificateTransparencyUrl: sourceUrl(e.CT_SEARCH_URL) } : {}),
      ...(sourceUrl(e.RDAP_BOOTSTRAP_URL) !== undefined ? { rdapBootstrapUrl: sourceUrl(e.RDAP_BOOTSTRAP_URL) } : {}),
    },
  };
}
