// NetBIOS Session Service (RFC 1002 §4.3, port 139): a SESSION REQUEST for the name
// *SMBSERVER. A NetBIOS server answers with a 4-byte POSITIVE SESSION RESPONSE (0x82) or a
// NEGATIVE SESSION RESPONSE (0x83) carrying one error code; either way it speaks NetBIOS.
import type { Identification, RequestProtocol } from '../types.ts';

/** RFC 1001 §14.1 first-level encoding of a NetBIOS name padded to 16 bytes. */
function encodeName(name: string, suffix: number): Buffer {
  const raw = Buffer.alloc(16, 0x20);
  raw.write(name.slice(0, 15), 'latin1');
  raw[15] = suffix;
  const encoded = Buffer.alloc(34);
  encoded[0] = 32;
  for (let index = 0; index < 16; index += 1) {
    const byte = raw[index] as number;
    encoded[1 + index * 2] = 0x41 + (byte >> 4);
    encoded[2 + index * 2] = 0x41 + (byte & 0x0f);
  }
  encoded[33] = 0;
  return encoded;
}

export function netbiosSessionRequest(): Buffer {
  const names = Buffer.concat([encodeName('*SMBSERVER', 0x20), encodeName('CYBERMONITOR', 0x00)]);
  const header = Buffer.from([0x81, 0x00, 0x00, names.length]);
  return Buffer.concat([header, names]);
}

const negativeCodes = new Set([0x80, 0x81, 0x82, 0x83, 0x8f]);

export function matchNetbiosReply(data: Buffer): Identification | undefined {
  if (data.length < 4 || data[1] !== 0x00) return undefined;
  const length = data.readUInt16BE(2);
  if (data.length !== 4 + length) return undefined;
  if (data[0] === 0x82 && length === 0) return { service: 'netbios', product: null, version: null, detail: { session: 'accepted' } };
  if (data[0] === 0x83 && length === 1 && negativeCodes.has(data[4] as number)) {
    return { service: 'netbios', product: null, version: null, detail: { session: 'refused', errorCode: data[4] as number } };
  }
  if (data[0] === 0x84 && length === 6) return { service: 'netbios', product: null, version: null, detail: { session: 'retarget' } };
  return undefined;
}

export const netbios: RequestProtocol = {
  id: 'netbios',
  async converse(session, context) {
    session.write(netbiosSessionRequest());
    await session.waitFor((data) => data.length >= 4 && data.length >= 4 + data.readUInt16BE(2), context.readTimeoutMs);
    return matchNetbiosReply(session.received());
  },
};
