// SMB over direct TCP (port 445): a NetBIOS-framed SMB2 NEGOTIATE ([MS-SMB2] 2.2.3) offering
// dialects 2.0.2–3.0.2. An SMB2 server answers with the 0xFE 'SMB' header and its chosen
// dialect; an SMB1-only server answers with the 0xFF 'SMB' header.
import type { Identification, RequestProtocol } from '../types.ts';

const dialects = [0x0202, 0x0210, 0x0300, 0x0302];

export function smb2NegotiateRequest(): Buffer {
  const header = Buffer.alloc(64);
  header.write('\xfeSMB', 0, 'latin1');
  header.writeUInt16LE(64, 4); // StructureSize
  header.writeUInt16LE(0, 12); // Command: NEGOTIATE
  header.writeUInt16LE(1, 14); // CreditRequest
  const body = Buffer.alloc(36 + dialects.length * 2);
  body.writeUInt16LE(36, 0); // StructureSize
  body.writeUInt16LE(dialects.length, 2);
  body.writeUInt16LE(1, 4); // SecurityMode: signing enabled
  Buffer.from('cybermonitor-smb').copy(body, 12); // ClientGuid (16 bytes)
  dialects.forEach((dialect, index) => body.writeUInt16LE(dialect, 36 + index * 2));
  const message = Buffer.concat([header, body]);
  const frame = Buffer.alloc(4);
  frame.writeUInt32BE(message.length); // NetBIOS session message, type 0
  return Buffer.concat([frame, message]);
}

const complete = (data: Buffer) => data.length >= 4 && data.length >= 4 + (data.readUInt32BE(0) & 0xffffff);

const dialectNames: Record<number, string> = { 0x0202: '2.0.2', 0x0210: '2.1', 0x0300: '3.0', 0x0302: '3.0.2', 0x0311: '3.1.1', 0x02ff: '2.???' };

export function matchSmbReply(data: Buffer): Identification | undefined {
  if (data.length < 8 || data[0] !== 0x00) return undefined;
  const length = data.readUInt32BE(0) & 0xffffff;
  if (length + 4 !== data.length || length < 36) return undefined;
  const magic = data.subarray(4, 8).toString('latin1');
  if (magic === '\xffSMB' && data[8] === 0x72) {
    return { service: 'smb', product: null, version: null, detail: { dialect: '1', smb1: true } };
  }
  if (magic !== '\xfeSMB' || length < 64 + 8 || data.readUInt16LE(8) !== 64 || data.readUInt16LE(16) !== 0) return undefined;
  const status = data.readUInt32LE(12);
  if (status !== 0) return { service: 'smb', product: null, version: null, detail: { status: status >>> 0 } };
  const body = data.subarray(68);
  if (body.readUInt16LE(0) !== 65) return undefined;
  const dialect = body.readUInt16LE(4);
  return {
    service: 'smb',
    product: null,
    version: null,
    detail: { dialect: dialectNames[dialect] ?? `0x${dialect.toString(16)}`, signingRequired: ((body[2] as number) & 0x02) !== 0, smb1: false },
  };
}

export const smb: RequestProtocol = {
  id: 'smb',
  async converse(session, context) {
    session.write(smb2NegotiateRequest());
    await session.waitFor(complete, context.readTimeoutMs);
    return matchSmbReply(session.received());
  },
};
