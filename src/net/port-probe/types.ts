// The contract of the protocol modules in ./protocols: a service counts as identified only when
// the server answered in its own protocol. Server-first protocols are recognised from the
// banner the server sends unasked; client-first protocols send their opening request and
// recognise the reply.
import type { ProbeSession } from './session.ts';

/** What can be found listening; the exposure check decides how bad each one is. */
export const serviceIds = [
  'ssh',
  'ftp',
  'smtp',
  'telnet',
  'vnc',
  'rdp',
  'smb',
  'netbios',
  'redis',
  'mysql',
  'postgresql',
  'mssql',
  'mongodb',
  'elasticsearch',
  'printer-raw',
  'ipp',
  'snmp',
  'router-admin',
  'nas-admin',
  'admin-panel',
  'database-admin',
  'vpn-portal',
  'hosting-panel',
  'http',
] as const;
export type ServiceId = (typeof serviceIds)[number];

export type DetailValue = string | number | boolean;

export interface Identification {
  service: ServiceId;
  /** Lowercase product id as the KEV rules name it (`openssh`, `exim`, `webmin`), when known. */
  product: string | null;
  version: string | null;
  /** Protocol facts worth showing (`authentication: 'none'`, `nla: false`, `title`). */
  detail: Record<string, DetailValue>;
}

export interface ProbeContext {
  /** The host name the address belongs to, for Host headers and SNI. */
  host: string;
  readTimeoutMs: number;
}

/** A protocol whose server speaks first (SSH, FTP, SMTP, VNC, MySQL, Telnet). */
export interface BannerProtocol {
  id: string;
  /** Enough bytes arrived to judge (a full line, a full packet). */
  complete(data: Buffer): boolean;
  /** A judgement from the banner alone; undefined means "not this protocol". */
  match(data: Buffer): Identification | undefined;
  /** How well the banner's words fit this protocol, to order look-alike greetings (FTP/SMTP 220). */
  affinity?(data: Buffer): number;
  /**
   * For greetings several protocols share: talk on and return the identification only when the
   * server answers the way this protocol does. The session's buffer was reset before the call.
   */
  confirm?(session: ProbeSession, context: ProbeContext, provisional: Identification): Promise<Identification | undefined>;
}

/** A protocol where the client speaks first; `converse` sends its request(s) and judges the reply. */
export interface RequestProtocol {
  id: string;
  /** Needs a TLS connection (HTTPS admin pages). */
  tls?: boolean;
  converse(session: ProbeSession, context: ProbeContext): Promise<Identification | undefined>;
}

/** Printable excerpt of raw bytes for evidence: control bytes as `.`, at most `max` characters. */
export function printableExcerpt(data: Buffer, max = 160): string {
  let text = '';
  for (const byte of data.subarray(0, max)) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : byte === 0x0a ? '\\n' : byte === 0x0d ? '\\r' : '.';
  return text.slice(0, max * 2);
}

/** The first line of ASCII text in `data` without its line end, or undefined without a line end. */
export function firstLine(data: Buffer, maxLength = 1024): string | undefined {
  const end = data.indexOf(0x0a);
  if (end < 0 || end > maxLength) return undefined;
  return data.subarray(0, end).toString('latin1').replace(/\r$/, '');
}

/** All complete lines of an ASCII reply. */
export function lines(data: Buffer): string[] {
  const text = data.toString('latin1');
  const end = text.lastIndexOf('\n');
  if (end < 0) return [];
  return text.slice(0, end).split('\n').map((line) => line.replace(/\r$/, ''));
}

/** A string that looks like a version number (`7.4`, `4.92.2`, `15.2.3.717`, `1.3.5a`, `8.2p1`). */
export const versionPattern = /\d+(?:\.\d+){0,4}[a-z]?\d*/;
