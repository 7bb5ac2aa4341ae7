// Replies of the line protocols FTP (RFC 959 §4.2) and SMTP (RFC 5321 §4.2): one or more lines
// `ddd-text`, the last one `ddd text` (or just `ddd`) with the same code.
import { lines } from '../types.ts';

export interface Reply {
  code: number;
  text: string[];
}

/** The first complete reply in `data`, or undefined while it is incomplete or not a reply. */
export function parseReply(data: Buffer): Reply | undefined {
  const all = lines(data);
  const first = /^(\d{3})([- ]|$)/.exec(all[0] ?? '');
  if (!first) return undefined;
  const code = first[1] as string;
  const text: string[] = [];
  for (const line of all.slice(0, 100)) {
    const parsed = /^(\d{3})([- ]|$)(.*)$/.exec(line);
    // RFC 959 lets continuation lines of a multi-line reply be free text; the reply ends on `ddd `.
    if (parsed?.[1] === code && parsed[2] !== '-') return { code: Number(code), text: [...text, parsed[3] ?? ''] };
    text.push(parsed?.[1] === code ? (parsed[3] ?? '') : line);
  }
  return undefined;
}

export const replyComplete = (data: Buffer): boolean => parseReply(data) !== undefined;
