// Microsoft SQL Server (TDS, [MS-TDS] 2.2.6.5): a PRELOGIN packet. A TDS server answers with a
// tabular-response packet (type 4) whose PRELOGIN options include VERSION (major, minor, build)
// and ENCRYPTION.
import type { Identification, RequestProtocol } from '../types.ts';

interface Option {
  token: number;
  data: Buffer;
}

function encodeOptions(options: Option[]): Buffer {
  const tableLength = options.length * 5 + 1;
  let offset = tableLength;
  const table = Buffer.alloc(tableLength);
  options.forEach((option, index) => {
    table[index * 5] = option.token;
    table.writeUInt16BE(offset, index * 5 + 1);
    table.writeUInt16BE(option.data.length, index * 5 + 3);
    offset += option.data.length;
  });
  table[tableLength - 1] = 0xff;
  return Buffer.concat([table, ...options.map((option) => option.data)]);
}

export function preloginPacket(type = 0x12, options?: Option[]): Buffer {
  const payload = encodeOptions(
    options ?? [
      { token: 0x00, data: Buffer.from([0, 0, 0, 0, 0, 0]) }, // VERSION
      { token: 0x01, data: Buffer.from([0x02]) }, // ENCRYPTION: not supported by us
      { token: 0x02, data: Buffer.from([0x00]) }, // INSTOPT
      { token: 0x03, data: Buffer.alloc(4) }, // THREADID
      { token: 0x04, data: Buffer.from([0x00]) }, // MARS off
    ],
  );
  const header = Buffer.from([type, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]);
  header.writeUInt16BE(8 + payload.length, 2);
  return Buffer.concat([header, payload]);
}

function decodeOptions(payload: Buffer): Map<number, Buffer> | undefined {
  const options = new Map<number, Buffer>();
  for (let index = 0; index < payload.length; index += 5) {
    const token = payload[index] as number;
    if (token === 0xff) return options;
    if (index + 5 > payload.length || options.size > 16) return undefined;
    const offset = payload.readUInt16BE(index + 1);
    const length = payload.readUInt16BE(index + 3);
    if (offset + length > payload.length) return undefined;
    options.set(token, payload.subarray(offset, offset + length));
  }
  return undefined;
}

const encryptionModes: Record<number, string> = { 0: 'off', 1: 'on', 2: 'not-supported', 3: 'required' };

export function matchPreloginReply(data: Buffer): Identification | undefined {
  if (data.length < 8 + 6 || data[0] !== 0x04) return undefined;
  const length = data.readUInt16BE(2);
  if (length !== data.length) return undefined;
  const options = decodeOptions(data.subarray(8));
  const version = options?.get(0x00);
  const encryption = options?.get(0x01);
  if (!version || version.length !== 6 || !encryption || encryption.length !== 1) return undefined;
  return {
    service: 'mssql',
    product: 'microsoft-sql-server',
    version: `${version[0]}.${version[1]}.${version.readUInt16BE(2)}`,
    detail: { encryption: encryptionModes[encryption[0] as number] ?? String(encryption[0]) },
  };
}

export const mssql: RequestProtocol = {
  id: 'mssql',
  async converse(session, context) {
    session.write(preloginPacket());
    await session.waitFor((data) => data.length >= 4 && data.length >= data.readUInt16BE(2), context.readTimeoutMs);
    return matchPreloginReply(session.received());
  },
};
