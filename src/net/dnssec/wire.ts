// A strict, bounded parser for DNS messages that keeps every record's RDATA as bytes, with the
// domain names inside it decompressed, so that signatures are verified over exactly what the
// server sent (re-encoding decoded objects could differ by a byte and turn secure into bogus).
// Hostile input (truncated packets, compression loops, forward pointers, absurd counts) throws
// a WireError; it never loops or allocates without bound. Product logic, written for this scanner.
import { labelsOf, nameFromLabels } from './names.ts';

export class WireError extends Error {
  override readonly name = 'WireError';
}

export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  CAA: 257,
  AXFR: 252,
  ANY: 255,
} as const;
export type RecordTypeName = keyof typeof RecordType;

const typeNames = new Map<number, string>(Object.entries(RecordType).map(([name, code]) => [code, name]));
export const typeName = (code: number): string => typeNames.get(code) ?? `TYPE${code}`;

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, NOTAUTH: 9 } as const;

export interface WireRecord {
  /** Lowercase presentation name, '.' for the root. */
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA with embedded names decompressed (still in the case the server sent). */
  rdata: Buffer;
}

export interface WireQuestion {
  name: string;
  type: number;
  class: number;
}

export interface WireMessage {
  id: number;
  /** The 16-bit flags word as sent. */
  flags: number;
  isResponse: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionAvailable: boolean;
  authenticData: boolean;
  /** Response code including the EDNS extended bits. */
  rcode: number;
  questions: WireQuestion[];
  answers: WireRecord[];
  authorities: WireRecord[];
  additionals: WireRecord[];
  /** EDNS(0) as the server sent it, when it did. */
  edns?: { udpPayloadSize: number; version: number; dnssecOk: boolean };
}

const maxRecordsPerSection = 2000;
const maxNameBytes = 255;
const maxPointerHops = 64;

/** A domain name at `offset`: its presentation text and where the name ends in the message. */
export function readName(message: Buffer, offset: number): { name: string; labels: Buffer[]; end: number } {
  const labels: Buffer[] = [];
  let position = offset;
  let end = -1;
  let hops = 0;
  let length = 1;
  // Every pointer must go strictly backwards from the label it replaces: no loops are possible.
  let lowestStart = offset;
  for (;;) {
    if (position >= message.length) throw new WireError('name runs past the end');
    const size = message[position] as number;
    if (size === 0) {
      if (end < 0) end = position + 1;
      break;
    }
    const kind = size & 0xc0;
    if (kind === 0xc0) {
      if (position + 1 >= message.length) throw new WireError('pointer runs past the end');
      const target = ((size & 0x3f) << 8) | (message[position + 1] as number);
      if (end < 0) end = position + 2;
      hops += 1;
      if (target >= lowestStart || hops > maxPointerHops) throw new WireError('compression pointer loop');
      lowestStart = target;
      position = target;
      continue;
    }
    if (kind !== 0) throw new WireError('unsupported label type');
    if (position + 1 + size > message.length) throw new WireError('label runs past the end');
    length += size + 1;
    if (length > maxNameBytes) throw new WireError('name too long');
    labels.push(Buffer.from(message.subarray(position + 1, position + 1 + size)));
    position += 1 + size;
  }
  return { name: nameFromLabels(labels), labels, end };
}

function wireOfLabels(labels: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const label of labels) parts.push(Buffer.from([label.length]), label);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

// Where names sit inside RDATA: a fixed number of bytes, a domain name, or a character-string.
type Field = number | 'name' | 'string';
export const rdataLayouts: Record<number, Field[]> = {
  2: ['name'], // NS
  3: ['name'], // MD
  4: ['name'], // MF
  5: ['name'], // CNAME
  6: ['name', 'name', 20], // SOA
  7: ['name'], // MB
  8: ['name'], // MG
  9: ['name'], // MR
  12: ['name'], // PTR
  14: ['name', 'name'], // MINFO
  15: [2, 'name'], // MX
  17: ['name', 'name'], // RP
  18: [2, 'name'], // AFSDB
  21: [2, 'name'], // RT
  26: [2, 'name', 'name'], // PX
  33: [6, 'name'], // SRV
  35: [4, 'string', 'string', 'string', 'name'], // NAPTR
  36: [2, 'name'], // KX
  39: ['name'], // DNAME
};

/** RDATA types whose embedded names are lowercased in the canonical form (RFC 4034 6.2, RFC 6840 5.1). */
export const typesWithCanonicalNames = new Set(Object.keys(rdataLayouts).map(Number));

function readRdata(message: Buffer, type: number, start: number, length: number): Buffer {
  const end = start + length;
  const layout = rdataLayouts[type];
  if (!layout) return Buffer.from(message.subarray(start, end));
  const parts: Buffer[] = [];
  let position = start;
  for (const field of layout) {
    if (field === 'name') {
      const read = readName(message, position);
      if (read.end > end) throw new WireError('name runs past its record');
      parts.push(wireOfLabels(read.labels));
      position = read.end;
    } else if (field === 'string') {
      const size = message[position];
      if (size === undefined || position + 1 + size > end) throw new WireError('string runs past its record');
      parts.push(Buffer.from(message.subarray(position, position + 1 + size)));
      position += 1 + size;
    } else {
      if (position + field > end) throw new WireError('record too short');
      parts.push(Buffer.from(message.subarray(position, position + field)));
      position += field;
    }
  }
  if (position !== end) throw new WireError('record length does not match its content');
  return Buffer.concat(parts);
}

function readRecord(message: Buffer, offset: number): { record: WireRecord; end: number } {
  const { name, end: nameEnd } = readName(message, offset);
  if (nameEnd + 10 > message.length) throw new WireError('record header runs past the end');
  const type = message.readUInt16BE(nameEnd);
  const klass = message.readUInt16BE(nameEnd + 2);
  const ttl = message.readUInt32BE(nameEnd + 4);
  const length = message.readUInt16BE(nameEnd + 8);
  const start = nameEnd + 10;
  if (start + length > message.length) throw new WireError('record data runs past the end');
  return { record: { name, type, class: klass, ttl, rdata: readRdata(message, type, start, length) }, end: start + length };
}

/** Parse a whole DNS message; throws WireError on anything malformed. */
export function parseMessage(message: Buffer): WireMessage {
  if (message.length < 12) throw new WireError('message shorter than its header');
  const id = message.readUInt16BE(0);
  const flags = message.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((at) => message.readUInt16BE(at)) as [number, number, number, number];
  if (counts.some((count) => count > maxRecordsPerSection)) throw new WireError('too many records');
  let offset = 12;
  const questions: WireQuestion[] = [];
  for (let index = 0; index < counts[0]; index += 1) {
    const { name, end } = readName(message, offset);
    if (end + 4 > message.length) throw new WireError('question runs past the end');
    questions.push({ name, type: message.readUInt16BE(end), class: message.readUInt16BE(end + 2) });
    offset = end + 4;
  }
  const sections: WireRecord[][] = [[], [], []];
  for (let section = 0; section < 3; section += 1) {
    for (let index = 0; index < (counts[section + 1] as number); index += 1) {
      const { record, end } = readRecord(message, offset);
      (sections[section] as WireRecord[]).push(record);
      offset = end;
    }
  }
  const [answers, authorities, allAdditionals] = sections as [WireRecord[], WireRecord[], WireRecord[]];
  const opt = allAdditionals.find((record) => record.type === RecordType.OPT);
  const additionals = allAdditionals.filter((record) => record.type !== RecordType.OPT);
  let rcode = flags & 0x0f;
  let edns: WireMessage['edns'];
  if (opt) {
    rcode |= ((opt.ttl >>> 24) & 0xff) << 4;
    edns = { udpPayloadSize: opt.class, version: (opt.ttl >>> 16) & 0xff, dnssecOk: (opt.ttl & 0x8000) !== 0 };
  }
  return {
    id,
    flags,
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >>> 11) & 0x0f,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    authenticData: (flags & 0x0020) !== 0,
    rcode,
    questions,
    answers,
    authorities,
    additionals,
    ...(edns ? { edns } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Building queries.

export interface QueryOptions {
  /** EDNS DO bit: ask for RRSIG, NSEC and NSEC3 records. Also sets CD so a validating resolver
   * hands over bogus data for us to judge instead of SERVFAIL. */
  dnssec?: boolean;
  recursionDesired?: boolean;
  udpPayloadSize?: number;
}

export function encodeName(name: string): Buffer {
  return wireOfLabels(labelsOf(name));
}

export function encodeQuery(id: number, name: string, type: number, options: QueryOptions = {}): Buffer {
  let flags = 0;
  if (options.recursionDesired !== false) flags |= 0x0100;
  if (options.dnssec) flags |= 0x0010; // CD
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 10);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(1, 2);
  // OPT pseudo-record: root name, type 41, class = payload size, TTL = extended rcode/version/DO.
  const opt = Buffer.alloc(11);
  opt.writeUInt8(0, 0);
  opt.writeUInt16BE(RecordType.OPT, 1);
  opt.writeUInt16BE(options.udpPayloadSize ?? 1232, 3);
  opt.writeUInt32BE(options.dnssec ? 0x8000 : 0, 5);
  opt.writeUInt16BE(0, 9);
  return Buffer.concat([header, encodeName(name), question, opt]);
}
