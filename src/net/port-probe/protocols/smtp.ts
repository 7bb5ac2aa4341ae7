// SMTP (RFC 5321): the server greets with 220; it counts as SMTP only when it then answers
// our EHLO with 250. Product and version from the greeting (Exim and Sendmail name theirs).
import type { BannerProtocol, Identification } from '../types.ts';
import { parseReply, replyComplete } from './reply-lines.ts';

function productOf(greeting: string): { product: string | null; version: string | null } {
  const exim = /\bExim (\d+\.\d+(?:[._]\d+)?)/i.exec(greeting);
  if (exim) return { product: 'exim', version: (exim[1] as string).replace('_', '.') };
  const sendmail = /\bSendmail (\d+\.\d+\.\d+)/i.exec(greeting);
  if (sendmail) return { product: 'sendmail', version: sendmail[1] as string };
  if (/\bPostfix\b/i.test(greeting)) return { product: 'postfix', version: null };
  if (/\bOpenSMTPD\b/i.test(greeting)) return { product: 'opensmtpd', version: null };
  if (/Microsoft ESMTP MAIL Service/i.test(greeting)) return { product: 'microsoft-smtp', version: null };
  return { product: null, version: null };
}

export const smtp: BannerProtocol = {
  id: 'smtp',
  complete: replyComplete,
  match(data): Identification | undefined {
    const reply = parseReply(data);
    if (reply?.code !== 220) return undefined;
    const greeting = reply.text.join(' ').slice(0, 300);
    return { service: 'smtp', ...productOf(greeting), detail: { greeting } };
  },
  affinity: (data) => (/E?SMTP|Exim|Postfix|Sendmail|\bmail\b/i.test(data.toString('latin1')) ? 2 : /FTP/i.test(data.toString('latin1')) ? 0 : 1),
  async confirm(session, context, provisional) {
    session.write('EHLO cybermonitor.invalid\r\n');
    await session.waitFor(replyComplete, context.readTimeoutMs);
    const reply = parseReply(session.received());
    if (reply?.code !== 250) return undefined;
    session.write('QUIT\r\n');
    const extensions = reply.text.slice(1).map((line) => line.trim().split(/\s+/)[0]?.toUpperCase() ?? '');
    return { ...provisional, detail: { ...provisional.detail, starttls: extensions.includes('STARTTLS') } };
  },
};
