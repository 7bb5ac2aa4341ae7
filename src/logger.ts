// Structured logs (JSON lines) through pino. Secrets never go into a log line: tokens are
// logged only where the product promises it (first-setup link, mail without SMTP_URL).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'cybermonitor' },
    redact: { paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization'], remove: true },
  });
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
