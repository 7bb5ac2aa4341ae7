// Decoders for the RDATA the DNS checks read. Each takes the bytes from wire.ts (names already
// decompressed) and throws WireError when the data does not fit its type.
import { readName, WireError } from './wire.ts';

const need = (data: Buffer, length: number, what: string) => {
  if (data.length < length) throw new WireError(`${what} too short`);
};

export interface Dnskey {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Buffer;
}
export function decodeDnskey(data: Buffer): Dnskey {
  need(data, 5, 'DNSKEY');
  return { flags: data.readUInt16BE(0), protocol: data[2] as number, algorithm: data[3] as number, publicKey: data.subarray(4) };
}

export interface Ds {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}
export function decodeDs(data: Buffer): Ds {
  need(data, 5, 'DS');
  return { keyTag: data.readUInt16BE(0), algorithm: data[2] as number, digestType: data[3] as number, digest: data.subarray(4) };
}

export interface Rrsig {
  typeCovered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signerName: string;
  signature: Buffer;
  /** RDATA up to and including the signer's name: what the signature covers first. */
  signedHeader: Buffer;
}
export function decodeRrsig(data: Buffer): Rrsig {
  need(data, 19, 'RRSIG');
  const signer = readName(data, 18);
  return {
    typeCovered: data.readUInt16BE(0),
    algorithm: data[2] as number,
    labels: data[3] as number,
    originalTtl: data.readUInt32BE(4),
    expiration: data.readUInt32BE(8),
    inception: data.readUInt32BE(12),
    keyTag: data.readUInt16BE(16),
    signerName: signer.name,
    signature: data.subarray(signer.end),
    signedHeader: data.subarray(0, signer.end),
  };
}

/** The types listed in an NSEC/NSEC3 type bitmap (RFC 4034 section 4.1.2). */
export function decodeTypeBitmap(data: Buffer): Set<number> {
  const types = new Set<number>();
  let position = 0;
  while (position < data.length) {
    if (position + 2 > data.length) throw new WireError('type bitmap truncated');
    const window = data[position] as number;
    const length = data[position + 1] as number;
    if (length < 1 || length > 32 || position + 2 + length > data.length) throw new WireError('type bitmap malformed');
    for (let byte = 0; byte < length; byte += 1) {
      const bits = data[position + 2 + byte] as number;
      for (let bit = 0; bit < 8; bit += 1) if (bits & (0x80 >> bit)) types.add(window * 256 + byte * 8 + bit);
    }
    position += 2 + length;
  }
  return types;
}

export interface Nsec {
  nextName: string;
  types: Set<number>;
}
export function decodeNsec(data: Buffer): Nsec {
  const next = readName(data, 0);
  return { nextName: next.name, types: decodeTypeBitmap(data.subarray(next.end)) };
}

export interface Nsec3 {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Buffer;
  nextHashed: Buffer;
  types: Set<number>;
}
export function decodeNsec3(data: Buffer): Nsec3 {
  need(data, 5, 'NSEC3');
  const saltLength = data[4] as number;
  need(data, 6 + saltLength, 'NSEC3');
  const hashLength = data[5 + saltLength] as number;
  const hashStart = 6 + saltLength;
  need(data, hashStart + hashLength, 'NSEC3');
  return {
    hashAlgorithm: data[0] as number,
    flags: data[1] as number,
    iterations: data.readUInt16BE(2),
    salt: data.subarray(5, 5 + saltLength),
    nextHashed: data.subarray(hashStart, hashStart + hashLength),
    types: decodeTypeBitmap(data.subarray(hashStart + hashLength)),
  };
}

export interface Soa {
  primary: string;
  mailbox: string;
  serial: number;
}
export function decodeSoa(data: Buffer): Soa {
  const primary = readName(data, 0);
  const mailbox = readName(data, primary.end);
  need(data, mailbox.end + 20, 'SOA');
  return { primary: primary.name, mailbox: mailbox.name, serial: data.readUInt32BE(mailbox.end) };
}

/** NS, CNAME, DNAME, PTR: one name. */
export function decodeNameRdata(data: Buffer): string {
  return readName(data, 0).name;
}

export interface Mx {
  preference: number;
  exchange: string;
}
export function decodeMx(data: Buffer): Mx {
  need(data, 3, 'MX');
  return { preference: data.readUInt16BE(0), exchange: readName(data, 2).name };
}

export function decodeA(data: Buffer): string {
  if (data.length !== 4) throw new WireError('A record is not 4 bytes');
  return [...data].join('.');
}

export function decodeAaaa(data: Buffer): string {
  if (data.length !== 16) throw new WireError('AAAA record is not 16 bytes');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(data.readUInt16BE(index));
  // RFC 5952: the longest run (at least two) of zero groups becomes '::', the first one on a tie.
  let bestStart = -1;
  let bestLength = 0;
  for (let index = 0; index < 8; ) {
    if (groups[index] !== 0) {
      index += 1;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - index > bestLength && end - index >= 2) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  const hex = (part: number[]) => part.map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** TXT: the character-strings, each capped; the caller joins them when a record is one value. */
export function decodeTxt(data: Buffer, maxBytes = 4096): string[] {
  const strings: string[] = [];
  let position = 0;
  let total = 0;
  while (position < data.length) {
    const length = data[position] as number;
    if (position + 1 + length > data.length) throw new WireError('TXT string runs past its record');
    if (total < maxBytes) strings.push(data.subarray(position + 1, position + 1 + Math.min(length, maxBytes - total)).toString('latin1'));
    total += length;
    position += 1 + length;
  }
  return strings;
}

export interface Caa {
  flags: number;
  tag: string;
  value: string;
}
export function decodeCaa(data: Buffer): Caa {
  need(data, 2, 'CAA');
  const tagLength = data[1] as number;
  need(data, 2 + tagLength, 'CAA');
  return {
    flags: data[0] as number,
    tag: data.subarray(2, 2 + tagLength).toString('latin1').toLowerCase(),
    value: data.subarray(2 + tagLength).toString('latin1').slice(0, 1024),
  };
}
