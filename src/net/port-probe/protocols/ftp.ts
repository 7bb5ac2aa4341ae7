// FTP (RFC 959): the server greets with 220; it counts as FTP only when it answers `USER
// anonymous` the FTP way (331 "password required", or 230 "logged in" — no password is ever
// sent). Product and version from the greeting.
import type { BannerProtocol, Identification } from '../types.ts';
import { parseReply, replyComplete } from './reply-lines.ts';

function productOf(greeting: string): { product: string | null; version: string | null } {
  const patterns: Array<[RegExp, string]> = [
    [/\bvsFTPd (\d+\.\d+\.\d+)/i, 'vsftpd'],
    [/\bProFTPD (\d+\.\d+\.\d+[a-z]?(?:rc\d+)?)/i, 'proftpd'],
    [/\bServ-U FTP Server v(\d+(?:\.\d+){1,3})/i, 'serv-u'],
    [/\bFileZilla Server (?:version )?(\d+\.\d+\.\d+)/i, 'filezilla-server'],
  ];
  for (const [pattern, product] of patterns) {
    const found = pattern.exec(greeting);
    if (found) return { product, version: found[1] as string };
  }
  if (/\bProFTPD\b/i.test(greeting)) return { product: 'proftpd', version: null };
  if (/\bPure-FTPd\b/i.test(greeting)) return { product: 'pure-ftpd', version: null };
  if (/Microsoft FTP Service/i.test(greeting)) return { product: 'microsoft-iis-ftp', version: null };
  return { product: null, version: null };
}

export const ftp: BannerProtocol = {
  id: 'ftp',
  complete: replyComplete,
  match(data): Identification | undefined {
    const reply = parseReply(data);
    if (reply?.code !== 220) return undefined;
    const greeting = reply.text.join(' ').slice(0, 300);
    return { service: 'ftp', ...productOf(greeting), detail: { greeting } };
  },
  affinity: (data) => (/FTP/i.test(data.toString('latin1')) ? 2 : /SMTP/i.test(data.toString('latin1')) ? 0 : 1),
  async confirm(session, context, provisional) {
    session.write('USER anonymous\r\n');
    await session.waitFor(replyComplete, context.readTimeoutMs);
    const reply = parseReply(session.received());
    if (reply?.code !== 331 && reply?.code !== 230) return undefined;
    session.write('QUIT\r\n');
    return { ...provisional, detail: { ...provisional.detail, anonymousWithoutPassword: reply.code === 230 } };
  },
};
