// MongoDB wire protocol: the `hello` command in an OP_MSG (opcode 2013, MongoDB 3.6+), and for
// older servers `isMaster` in an OP_QUERY on admin.$cmd (opcode 2004, answered with OP_REPLY 1;
// still accepted for the handshake by current servers). A MongoDB server answers with a
// document holding `ok` and `maxWireVersion`. Neither command needs a login.
import { randomInt } from 'node:crypto';
import type { Identification, RequestProtocol } from '../types.ts';
import { type BsonValue, decodeTopLevel, encodeDocument } from './bson.ts';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

function header(length: number, requestId: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(0, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

export function helloMessage(requestId: number): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), encodeDocument([['hello', 1], ['$db', 'admin']])]);
  return Buffer.concat([header(16 + body.length, requestId, OP_MSG), body]);
}

export function isMasterQuery(requestId: number): Buffer {
  const body = Buffer.concat([
    Buffer.alloc(4), // flags
    Buffer.from('admin.$cmd\0', 'latin1'),
    Buffer.from([0, 0, 0, 0]), // numberToSkip
    Buffer.from([0xff, 0xff, 0xff, 0xff]), // numberToReturn: -1
    encodeDocument([['isMaster', 1]]),
  ]);
  return Buffer.concat([header(16 + body.length, requestId, OP_QUERY), body]);
}

const complete = (data: Buffer) => data.length >= 4 && data.length >= data.readInt32LE(0);

/** The reply document's fields, when `data` is a well-formed reply to `requestId`. */
export function replyDocument(data: Buffer, requestId: number): Map<string, BsonValue> | undefined {
  if (data.length < 16 + 5) return undefined;
  const length = data.readInt32LE(0);
  if (length !== data.length || length > 64 * 1024 || data.readInt32LE(8) !== requestId) return undefined;
  const opCode = data.readInt32LE(12);
  if (opCode === OP_MSG && data[20] === 0) return decodeTopLevel(data.subarray(21));
  if (opCode === OP_REPLY && length >= 36 && data.readInt32LE(32) === 1) return decodeTopLevel(data.subarray(36));
  return undefined;
}

function identify(fields: Map<string, BsonValue> | undefined): Identification | undefined {
  const ok = fields?.get('ok');
  const wire = fields?.get('maxWireVersion');
  if (!fields || typeof ok !== 'number' || typeof wire !== 'number') return undefined;
  return { service: 'mongodb', product: 'mongodb', version: null, detail: { maxWireVersion: wire } };
}

function probe(message: (requestId: number) => Buffer): RequestProtocol['converse'] {
  return async (session, context) => {
    const requestId = randomInt(1, 2 ** 31 - 1);
    session.write(message(requestId));
    await session.waitFor(complete, context.readTimeoutMs);
    return identify(replyDocument(session.received(), requestId));
  };
}

export const mongodb: RequestProtocol = { id: 'mongodb', converse: probe(helloMessage) };
export const mongodbLegacy: RequestProtocol = { id: 'mongodb-legacy', converse: probe(isMasterQuery) };
