// A parser for security.txt (RFC 9116): fields, comments, and an OpenPGP cleartext signature
// (RFC 4880 §7) around them. The signature block is decoded far enough to say which key and
// algorithms made it and when; it is not verified (that needs the signer's public key). Pure.

export interface SecurityTxtField {
  /** Lowercased field name. */
  name: string;
  value: string;
  line: number;
}

export type SecurityTxtProblemCode =
  | 'no_contact'
  | 'no_expires'
  | 'multiple_expires'
  | 'invalid_expires'
  | 'multiple_preferred_languages'
  | 'invalid_uri'
  | 'insecure_uri'
  | 'invalid_line'
  | 'signature_malformed';

export interface SecurityTxtProblem {
  code: SecurityTxtProblemCode;
  line?: number;
  field?: string;
}

export interface PgpSignatureInfo {
  version: number;
  signatureType: number;
  publicKeyAlgorithm: string;
  hashAlgorithm: string;
  /** ISO date-time of the signature creation subpacket. */
  created: string | null;
  /** 16 hex digits, from the issuer subpacket (or the end of the fingerprint). */
  issuerKeyId: string | null;
  issuerFingerprint: string | null;
  /** The armor's CRC-24 matched the data (null when the armor has no checksum line). */
  checksumValid: boolean | null;
}

export interface SecurityTxt {
  signed: boolean;
  /** The armor header `Hash:` of a signed message (`SHA256`). */
  signedHash: string | null;
  signature: PgpSignatureInfo | null;
  fields: SecurityTxtField[];
  contacts: string[];
  /** The Expires value as written, when there is exactly one. */
  expires: string | null;
  /** Parsed Expires, ISO form, when valid. */
  expiresAt: string | null;
  encryption: string[];
  canonical: string[];
  policy: string[];
  acknowledgments: string[];
  hiring: string[];
  preferredLanguages: string | null;
  problems: SecurityTxtProblem[];
}

const uriFields = new Set(['contact', 'encryption', 'canonical', 'policy', 'acknowledgments', 'hiring', 'csaf']);
const maxFields = 200;

const signedMessageStart = '-----BEGIN PGP SIGNED MESSAGE-----';
const signatureStart = '-----BEGIN PGP SIGNATURE-----';
const signatureEnd = '-----END PGP SIGNATURE-----';

// RFC 3339 date-time as RFC 9116 §2.5.5 demands: 2027-01-31T23:59:59Z or with an offset.
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseExpires(value: string): string | null {
  const match = rfc3339.exec(value.trim());
  if (!match) return null;
  const [month, day, hour, minute, second] = [match[2], match[3], match[4], match[5], match[6]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const time = Date.parse(value.trim().toUpperCase());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function checkUri(field: SecurityTxtField, problems: SecurityTxtProblem[]): void {
  let url: URL;
  try {
    url = new URL(field.value);
  } catch {
    problems.push({ code: 'invalid_uri', line: field.line, field: field.name });
    return;
  }
  // RFC 9116: web URIs MUST begin with https://.
  if (url.protocol === 'http:') problems.push({ code: 'insecure_uri', line: field.line, field: field.name });
}

// ---------------------------------------------------------------------------------------------
// OpenPGP signature packet, just enough to describe it.

const publicKeyAlgorithms: Record<number, string> = {
  1: 'RSA',
  2: 'RSA (encrypt only)',
  3: 'RSA (sign only)',
  16: 'Elgamal',
  17: 'DSA',
  18: 'ECDH',
  19: 'ECDSA',
  22: 'EdDSA',
  25: 'X25519',
  26: 'X448',
  27: 'Ed25519',
  28: 'Ed448',
};
const hashAlgorithms: Record<number, string> = {
  1: 'MD5',
  2: 'SHA1',
  3: 'RIPEMD160',
  8: 'SHA256',
  9: 'SHA384',
  10: 'SHA512',
  11: 'SHA224',
  12: 'SHA3-256',
  14: 'SHA3-512',
};

/** CRC-24 of RFC 4880 §6.1. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit += 1) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

class Reader {
  offset = 0;
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
  }
  byte(): number {
    if (this.offset >= this.data.length) throw new Error('truncated');
    return this.data[this.offset++] as number;
  }
  bytes(count: number): Uint8Array {
    if (count < 0 || this.offset + count > this.data.length) throw new Error('truncated');
    const slice = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }
  uint(count: number): number {
    let value = 0;
    for (const byte of this.bytes(count)) value = value * 256 + byte;
    return value;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function packetBody(reader: Reader): { tag: number; body: Uint8Array } {
  const header = reader.byte();
  if ((header & 0x80) === 0) throw new Error('not a packet');
  if (header & 0x40) {
    const tag = header & 0x3f;
    const first = reader.byte();
    let length: number;
    if (first < 192) length = first;
    else if (first < 224) length = ((first - 192) << 8) + reader.byte() + 192;
    else if (first === 255) length = reader.uint(4);
    else throw new Error('partial lengths are not used for signatures');
    return { tag, body: reader.bytes(length) };
  }
  const tag = (header >> 2) & 0x0f;
  const lengthType = header & 0x03;
  if (lengthType === 3) return { tag, body: reader.bytes(reader.data.length - reader.offset) };
  const length = reader.uint([1, 2, 4][lengthType] as number);
  return { tag, body: reader.bytes(length) };
}

function readSubpackets(data: Uint8Array, info: PgpSignatureInfo, lengthOctets: 1 | 4): void {
  const reader = new Reader(data);
  while (reader.offset < data.length) {
    let length: number;
    if (lengthOctets === 4) length = reader.uint(4);
    else {
      const first = reader.byte();
      if (first < 192) length = first;
      else if (first < 255) length = ((first - 192) << 8) + reader.byte() + 192;
      else length = reader.uint(4);
    }
    if (length < 1) throw new Error('empty subpacket');
    const type = reader.byte() & 0x7f;
    const content = reader.bytes(length - 1);
    if (type === 2 && content.length === 4) info.created = new Date(new Reader(content).uint(4) * 1000).toISOString();
    if (type === 16 && content.length === 8) info.issuerKeyId = hex(content);
    if (type === 33 && content.length >= 21) {
      info.issuerFingerprint = hex(content.subarray(1));
      // A v4 key ID is the last 8 bytes of its fingerprint; a v6 key ID the first 8.
      info.issuerKeyId ??= content[0] === 6 ? hex(content.subarray(1, 9)) : hex(content.subarray(content.length - 8));
    }
  }
}

/** Describe the signature packet in an ASCII-armored block (the lines between the armor markers). */
export function describeSignature(armorLines: string[]): PgpSignatureInfo {
  let index = 0;
  // Armor headers (Version:, Comment:, …) up to the first blank line.
  while (index < armorLines.length && (armorLines[index] as string).trim() !== '') index += 1;
  if (index >= armorLines.length) index = 0;
  const payload = armorLines.slice(index).map((line) => line.trim()).filter((line) => line !== '');
  let checksum: string | undefined;
  if (payload.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(payload[payload.length - 1] as string)) checksum = (payload.pop() as string).slice(1);
  const base64 = payload.join('');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('not base64');
  const data = new Uint8Array(Buffer.from(base64, 'base64'));
  let checksumValid: boolean | null = null;
  if (checksum !== undefined) {
    const expected = Buffer.from(checksum, 'base64');
    checksumValid = expected.length === 3 && ((expected[0] as number) << 16 | (expected[1] as number) << 8 | (expected[2] as number)) === crc24(data);
  }
  const { tag, body } = packetBody(new Reader(data));
  if (tag !== 2) throw new Error('not a signature packet');
  const reader = new Reader(body);
  const version = reader.byte();
  const info: PgpSignatureInfo = {
    version,
    signatureType: 0,
    publicKeyAlgorithm: '',
    hashAlgorithm: '',
    created: null,
    issuerKeyId: null,
    issuerFingerprint: null,
    checksumValid,
  };
  const algorithms = (publicKey: number, hash: number) => {
    info.publicKeyAlgorithm = publicKeyAlgorithms[publicKey] ?? `unknown (${publicKey})`;
    info.hashAlgorithm = hashAlgorithms[hash] ?? `unknown (${hash})`;
  };
  if (version === 3) {
    if (reader.byte() !== 5) throw new Error('bad v3 signature');
    info.signatureType = reader.byte();
    info.created = new Date(reader.uint(4) * 1000).toISOString();
    info.issuerKeyId = hex(reader.bytes(8));
    algorithms(reader.byte(), reader.byte());
  } else if (version === 4 || version === 5 || version === 6) {
    info.signatureType = reader.byte();
    algorithms(reader.byte(), reader.byte());
    const lengthOctets = version === 6 ? 4 : 2;
    readSubpackets(reader.bytes(reader.uint(lengthOctets)), info, version === 6 ? 4 : 1);
    readSubpackets(reader.bytes(reader.uint(lengthOctets)), info, version === 6 ? 4 : 1);
  } else {
    throw new Error(`signature version ${version}`);
  }
  return info;
}

// ---------------------------------------------------------------------------------------------

interface Unwrapped {
  signed: boolean;
  hash: string | null;
  lines: string[];
  firstLine: number;
  signature: PgpSignatureInfo | null;
  malformed: boolean;
}

/** Split a cleartext-signed message into its (dash-unescaped) text and its signature. */
function unwrap(lines: string[]): Unwrapped {
  const start = lines.findIndex((line) => line.trim() !== '');
  if (start < 0 || lines[start]?.trim() !== signedMessageStart) return { signed: false, hash: null, lines, firstLine: 1, signature: null, malformed: false };
  let index = start + 1;
  let hash: string | null = null;
  for (; index < lines.length && (lines[index] as string).trim() !== ''; index += 1) {
    const match = /^Hash:\s*(.+)$/i.exec((lines[index] as string).trim());
    if (match) hash = (match[1] as string).slice(0, 64);
  }
  index += 1; // the blank line after the armor headers
  const signatureAt = lines.findIndex((line, at) => at >= index && line.trim() === signatureStart);
  const endAt = lines.findIndex((line, at) => at > signatureAt && line.trim() === signatureEnd);
  const textLines = lines.slice(index, signatureAt < 0 ? lines.length : signatureAt).map((line) => (line.startsWith('- ') ? line.slice(2) : line));
  let signature: PgpSignatureInfo | null = null;
  let malformed = signatureAt < 0 || endAt < 0;
  if (!malformed) {
    try {
      signature = describeSignature(lines.slice(signatureAt + 1, endAt));
    } catch {
      malformed = true;
    }
  }
  return { signed: true, hash, lines: textLines, firstLine: index + 1, signature, malformed };
}

/** Parse a security.txt document (its text as served, at most a few hundred kilobytes). */
export function parseSecurityTxt(text: string): SecurityTxt {
  const unwrapped = unwrap(text.replace(/^\uFEFF/, '').split(/\r?\n/));
  const problems: SecurityTxtProblem[] = [];
  if (unwrapped.malformed) problems.push({ code: 'signature_malformed' });
  const fields: SecurityTxtField[] = [];
  unwrapped.lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || fields.length >= maxFields) return;
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!match) {
      problems.push({ code: 'invalid_line', line: unwrapped.firstLine + index });
      return;
    }
    fields.push({ name: (match[1] as string).toLowerCase(), value: (match[2] as string).trim().slice(0, 2048), line: unwrapped.firstLine + index });
  });
  const values = (name: string) => fields.filter((field) => field.name === name).map((field) => field.value);

  for (const field of fields) if (uriFields.has(field.name)) checkUri(field, problems);
  const contacts = values('contact');
  if (contacts.length === 0) problems.push({ code: 'no_contact' });
  const expiresValues = values('expires');
  let expires: string | null = null;
  let expiresAt: string | null = null;
  if (expiresValues.length === 0) problems.push({ code: 'no_expires' });
  else if (expiresValues.length > 1) problems.push({ code: 'multiple_expires' });
  else {
    expires = expiresValues[0] as string;
    expiresAt = parseExpires(expires);
    if (expiresAt === null) problems.push({ code: 'invalid_expires', field: 'expires' });
  }
  const languages = values('preferred-languages');
  if (languages.length > 1) problems.push({ code: 'multiple_preferred_languages' });

  return {
    signed: unwrapped.signed,
    signedHash: unwrapped.hash,
    signature: unwrapped.signature,
    fields,
    contacts,
    expires,
    expiresAt,
    encryption: values('encryption'),
    canonical: values('canonical'),
    policy: values('policy'),
    acknowledgments: values('acknowledgments'),
    hiring: values('hiring'),
    preferredLanguages: languages[0] ?? null,
    problems,
  };
}
