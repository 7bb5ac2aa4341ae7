// PostgreSQL (protocol 3.0): an SSLRequest is answered with the single byte 'S' (TLS offered)
// or 'N'. After 'N' we confirm with a StartupMessage: a PostgreSQL server replies with an
// Authentication request ('R') or an ErrorResponse ('E'); we never send a password.
import type { Identification, RequestProtocol } from '../types.ts';

export const sslRequest = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);

export function startupMessage(): Buffer {
  const parameters = Buffer.from('user\0cybermonitor\0database\0cybermonitor\0application_name\0cybermonitor-probe\0\0', 'latin1');
  const message = Buffer.alloc(8 + parameters.length);
  message.writeUInt32BE(message.length, 0);
  message.writeUInt32BE(0x00030000, 4);
  parameters.copy(message, 8);
  return message;
}

const authenticationTypes = new Set([0, 2, 3, 5, 6, 7, 8, 9, 10]);

/** An 'R' (authentication) or 'E' (error) message of plausible size, complete. */
export function matchStartupReply(data: Buffer): Identification['detail'] | undefined {
  if (data.length < 9) return undefined;
  const type = String.fromCharCode(data[0] as number);
  const length = data.readUInt32BE(1);
  if (length < 8 || length > 4096 || data.length < 1 + length) return undefined;
  if (type === 'R') {
    const method = data.readUInt32BE(5);
    return authenticationTypes.has(method) ? { authentication: method === 0 ? 'none' : 'required' } : undefined;
  }
  if (type === 'E') {
    const fields = data.subarray(5, 1 + length).toString('latin1');
    return /(^|\0)S[A-Z]+\0/.test(fields) && /\0C[0-9A-Z]{5}\0/.test(`\0${fields}`) ? { startup: 'error' } : undefined;
  }
  return undefined;
}

export const postgresql: RequestProtocol = {
  id: 'postgresql',
  async converse(session, context) {
    session.write(sslRequest);
    await session.waitFor((data) => data.length >= 1, context.readTimeoutMs);
    // A lone byte: wait a moment to be sure nothing else follows it.
    await session.waitQuiet(100, context.readTimeoutMs);
    const answer = session.received();
    if (answer.length !== 1) return undefined;
    if (answer[0] === 0x53) return { service: 'postgresql', product: 'postgresql', version: null, detail: { tls: true } };
    if (answer[0] !== 0x4e) return undefined;
    session.reset();
    session.write(startupMessage());
    await session.waitFor((data) => data.length >= 5 && data.length >= 1 + data.readUInt32BE(1), context.readTimeoutMs);
    const detail = matchStartupReply(session.received());
    return detail ? { service: 'postgresql', product: 'postgresql', version: null, detail: { tls: false, ...detail } } : undefined;
  },
};
