// Redis (RESP): `PING` is answered `+PONG` when no password is needed, `-NOAUTH …` when one
// is, `-DENIED …` in protected mode. Only without a password do we ask `INFO server` for the
// version (a read of server metadata, no data).
import type { Identification, RequestProtocol } from '../types.ts';

const line = (data: Buffer) => data.indexOf('\r\n') >= 0;

export function matchRedisPing(data: Buffer): Identification | undefined {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n');
  if (end < 0 || end !== text.length - 2) return undefined;
  const reply = text.slice(0, end);
  if (reply === '+PONG') return { service: 'redis', product: 'redis', version: null, detail: { authentication: 'none' } };
  if (/^-NOAUTH /.test(reply) || /^-ERR operation not permitted/.test(reply)) {
    return { service: 'redis', product: 'redis', version: null, detail: { authentication: 'required' } };
  }
  if (/^-DENIED Redis is running in protected mode/.test(reply)) {
    return { service: 'redis', product: 'redis', version: null, detail: { authentication: 'protected-mode' } };
  }
  return undefined;
}

export const redis: RequestProtocol = {
  id: 'redis',
  async converse(session, context) {
    session.write('PING\r\n');
    await session.waitFor(line, context.readTimeoutMs);
    const identified = matchRedisPing(session.received());
    if (!identified || identified.detail.authentication !== 'none') return identified;
    session.reset();
    session.write('INFO server\r\n');
    await session.waitFor((data) => /redis_version:[^\r\n]*\r\n/.test(data.toString('latin1')), context.readTimeoutMs);
    const version = /redis_version:(\d+\.\d+\.\d+)\r\n/.exec(session.received().toString('latin1'))?.[1] ?? null;
    return { ...identified, version };
  },
};
