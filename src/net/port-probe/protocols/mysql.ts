// MySQL / MariaDB: the server sends its handshake packet first (protocol 10: version string,
// thread id, salt, filler 0), or an error packet (0xFF, error code, message) when it refuses
// our address, e.g. 1130 "Host … is not allowed to connect". Packets: 3-byte length, sequence 0.
import type { BannerProtocol, Identification } from '../types.ts';

function packet(data: Buffer): Buffer | undefined {
  if (data.length < 4) return undefined;
  const length = data.readUIntLE(0, 3);
  if (data[3] !== 0 || length < 1 || length > 1024 || data.length < 4 + length) return undefined;
  return data.subarray(4, 4 + length);
}

function productOf(version: string): { product: string; version: string | null } {
  // MariaDB 10 announces itself as "5.5.5-10.x.y-MariaDB" for old clients.
  const cleaned = version.replace(/^5\.5\.5-/, '');
  const number = /^(\d+\.\d+\.\d+)/.exec(cleaned)?.[1] ?? null;
  return { product: /mariadb/i.test(cleaned) ? 'mariadb' : 'mysql', version: number };
}

export const mysql: BannerProtocol = {
  id: 'mysql',
  complete: (data) => data.length >= 4 && data.length >= 4 + data.readUIntLE(0, 3),
  match(data): Identification | undefined {
    const body = packet(data);
    if (!body || data.length !== 4 + body.length) return undefined;
    if (body[0] === 0x0a) {
      const end = body.indexOf(0, 1);
      if (end < 2 || end > 80) return undefined;
      const version = body.subarray(1, end).toString('latin1');
      if (!/^\d+\.\d+\.\d+[\x20-\x7e]*$/.test(version)) return undefined;
      // thread id (4) and the first 8 bytes of the salt, then a filler byte 0.
      if (body.length < end + 1 + 4 + 8 + 1 || body[end + 1 + 4 + 8] !== 0) return undefined;
      return { service: 'mysql', ...productOf(version), detail: { serverVersion: version } };
    }
    if (body[0] === 0xff && body.length >= 4) {
      const code = body.readUInt16LE(1);
      const message = body.subarray(3).toString('latin1').replace(/^#[0-9A-Z]{5}/, '');
      if (code < 1000 || code > 2999 || !/^[\x20-\x7e]{1,500}$/.test(message)) return undefined;
      return { service: 'mysql', product: null, version: null, detail: { errorCode: code, error: message.slice(0, 200) } };
    }
    return undefined;
  },
};
