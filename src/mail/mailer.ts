// Outgoing mail. With SMTP_URL set, mail goes through nodemailer (STARTTLS when the server
// offers it; add `?requireTLS=true` to the URL to refuse plain text). Without it, the message
// (recipient, subject and text with its links) is written to the log at info level: that is how
// a small installation without a mail server still gets its invitation and reset links.
import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string | null;
  from: string;
  logger: Logger;
  /** Extra TLS options for the SMTP connection, e.g. `{ ca }` for a private CA. */
  tls?: ConnectionOptions;
}

// Bounded waits: a stuck mail server must not hold a request (or a job) forever.
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** Header values come partly from people (names): no line breaks may reach a header. */
const singleLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export function createMailer(options: MailerOptions): Mailer {
  const { logger } = options;
  if (!options.smtpUrl) {
    return {
      async send(message) {
        logger.info(
          { mail: { to: singleLine(message.to), subject: singleLine(message.subject), text: message.text } },
          'mail not sent (no SMTP_URL configured); its text follows',
        );
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  return {
    async send(message) {
      const to = singleLine(message.to);
      const info = await transport.sendMail({
        from: options.from,
        to,
        subject: singleLine(message.subject),
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
      logger.info({ mail: { to, messageId: info.messageId } }, 'mail sent');
    },
    close() {
      transport.close();
    },
  };
}
