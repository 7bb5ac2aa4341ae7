// DNSSEC cryptography: key tags, DS digests and RRSIG verification (RFC 4034, 4035, 5702,
// 6605, 8080), with node:crypto doing the arithmetic. The canonical RRset encoding and the
// checks around each signature are the product's own logic.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { canonicalWireName, labelCount, labelsOf, lastLabels, nameFromLabels } from './names.ts';
import { decodeRrsig, type Dnskey, type Ds, type Rrsig } from './rdata.ts';
import { rdataLayouts, typesWithCanonicalNames, type WireRecord } from './wire.ts';

/** Algorithms this validator verifies; others make a zone insecure, not bogus (RFC 4035 5.2). */
export const supportedAlgorithms = new Map<number, string>([
  [5, 'RSASHA1'],
  [7, 'RSASHA1-NSEC3-SHA1'],
  [8, 'RSASHA256'],
  [10, 'RSASHA512'],
  [13, 'ECDSAP256SHA256'],
  [14, 'ECDSAP384SHA384'],
  [15, 'ED25519'],
  [16, 'ED448'],
]);

export const supportedDigests = new Map<number, string>([
  [1, 'sha1'],
  [2, 'sha256'],
  [4, 'sha384'],
]);

export const algorithmName = (algorithm: number): string => supportedAlgorithms.get(algorithm) ?? `ALG${algorithm}`;

const zoneKeyFlag = 0x0100;
const revokeFlag = 0x0080;
const sepFlag = 0x0001;

export const isZoneKey = (key: Dnskey): boolean => (key.flags & zoneKeyFlag) !== 0 && key.protocol === 3;
export const isSecureEntryPoint = (key: Dnskey): boolean => (key.flags & sepFlag) !== 0;
export const isRevoked = (key: Dnskey): boolean => (key.flags & revokeFlag) !== 0;

export function dnskeyRdata(key: Dnskey): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(key.flags, 0);
  head[2] = key.protocol;
  head[3] = key.algorithm;
  return Buffer.concat([head, key.publicKey]);
}

/** RFC 4034 appendix B (algorithm 1, RSAMD5, is not supported and not special-cased). */
export function keyTag(key: Dnskey): number {
  const rdata = dnskeyRdata(key);
  let sum = 0;
  for (let index = 0; index < rdata.length; index += 1) sum += index & 1 ? (rdata[index] as number) : (rdata[index] as number) << 8;
  sum += (sum >>> 16) & 0xffff;
  return sum & 0xffff;
}

/** The DS digest of a DNSKEY at `owner`, or undefined for an unsupported digest type. */
export function dsDigest(owner: string, key: Dnskey, digestType: number): Buffer | undefined {
  const hash = supportedDigests.get(digestType);
  if (!hash) return undefined;
  return createHash(hash).update(canonicalWireName(owner)).update(dnskeyRdata(key)).digest();
}

export function dsMatchesKey(owner: string, ds: Ds, key: Dnskey): boolean {
  if (ds.algorithm !== key.algorithm || ds.keyTag !== keyTag(key)) return false;
  const digest = dsDigest(owner, key, ds.digestType);
  return digest !== undefined && digest.equals(ds.digest);
}

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

/** A node:crypto public key from DNSKEY key material (RFC 3110, 6605, 8080). */
export function publicKeyOf(key: Dnskey): KeyObject {
  const material = key.publicKey;
  switch (key.algorithm) {
    case 5:
    case 7:
    case 8:
    case 10: {
      if (material.length < 3) throw new Error('RSA key too short');
      let exponentLength = material[0] as number;
      let offset = 1;
      if (exponentLength === 0) {
        exponentLength = material.readUInt16BE(1);
        offset = 3;
      }
      const exponent = material.subarray(offset, offset + exponentLength);
      const modulus = material.subarray(offset + exponentLength);
      if (exponent.length !== exponentLength || modulus.length === 0) throw new Error('RSA key malformed');
      return createPublicKey({ key: { kty: 'RSA', n: base64url(stripLeadingZeros(modulus)), e: base64url(stripLeadingZeros(exponent)) }, format: 'jwk' });
    }
    case 13:
    case 14: {
      const size = key.algorithm === 13 ? 32 : 48;
      if (material.length !== size * 2) throw new Error('ECDSA key has the wrong length');
      return createPublicKey({
        key: { kty: 'EC', crv: key.algorithm === 13 ? 'P-256' : 'P-384', x: base64url(material.subarray(0, size)), y: base64url(material.subarray(size)) },
        format: 'jwk',
      });
    }
    case 15:
    case 16: {
      const size = key.algorithm === 15 ? 32 : 57;
      if (material.length !== size) throw new Error('EdDSA key has the wrong length');
      return createPublicKey({ key: { kty: 'OKP', crv: key.algorithm === 15 ? 'Ed25519' : 'Ed448', x: base64url(material) }, format: 'jwk' });
    }
    default:
      throw new Error(`unsupported algorithm ${key.algorithm}`);
  }
}

function hashOf(algorithm: number): string | null {
  switch (algorithm) {
    case 5:
    case 7:
      return 'sha1';
    case 8:
    case 13:
      return 'sha256';
    case 10:
      return 'sha512';
    case 14:
      return 'sha384';
    default:
      return null; // EdDSA hashes internally
  }
}

/** The RDATA of a record in canonical form: embedded names lowercased for the listed types. */
function canonicalRdata(record: WireRecord): Buffer {
  if (!typesWithCanonicalNames.has(record.type)) return record.rdata;
  // wire.ts stored those names uncompressed; lowercase their label bytes by re-walking them.
  const rdata = Buffer.from(record.rdata);
  lowercaseNamesIn(rdata, record.type);
  return rdata;
}

function lowercaseNamesIn(rdata: Buffer, type: number): void {
  let position = 0;
  for (const field of rdataLayouts[type] ?? []) {
    if (field === 'name') {
      while (position < rdata.length && rdata[position] !== 0) {
        const length = rdata[position] as number;
        for (let index = position + 1; index <= position + length && index < rdata.length; index += 1) {
          const byte = rdata[index] as number;
          if (byte >= 0x41 && byte <= 0x5a) rdata[index] = byte + 0x20;
        }
        position += length + 1;
      }
      position += 1;
    } else if (field === 'string') {
      position += 1 + (rdata[position] ?? 0);
    } else {
      position += field;
    }
  }
}

/** Why a signature did not validate; a stable code that ends up in evidence. */
export type SignatureProblem =
  | 'signature_expired'
  | 'signature_not_yet_valid'
  | 'signer_mismatch'
  | 'labels_invalid'
  | 'no_matching_key'
  | 'algorithm_unsupported'
  | 'key_unusable'
  | 'signature_invalid';

const serialLess = (a: number, b: number): boolean => a !== b && ((b - a) >>> 0) < 0x80000000;

/** Seconds since the epoch as the 32-bit serial number RRSIG times use (RFC 4034 3.1.5). */
const serialNow = (now: Date): number => Math.floor(now.getTime() / 1000) >>> 0;

export interface SignatureCheck {
  ok: boolean;
  problem?: SignatureProblem;
  keyTag: number;
  algorithm: number;
  /** RRSIG expiration as an ISO time (the earliest matters for "expires soon"). */
  expires: string;
}

function serialToDate(serial: number, now: Date): string {
  // Pick the 32-bit era closest to now.
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const era = Math.floor(nowSeconds / 2 ** 32) * 2 ** 32;
  const candidates = [era - 2 ** 32 + serial, era + serial, era + 2 ** 32 + serial];
  const closest = candidates.sort((a, b) => Math.abs(a - nowSeconds) - Math.abs(b - nowSeconds))[0] as number;
  return new Date(closest * 1000).toISOString();
}

/**
 * Verify one RRSIG over an RRset (all records with the same owner, type and class) with the
 * given candidate keys of the signer zone. `zone` is the name the signer must be.
 */
export function verifyRrset(rrset: WireRecord[], signature: Rrsig, keys: Dnskey[], zone: string, now: Date): SignatureCheck {
  const base = { keyTag: signature.keyTag, algorithm: signature.algorithm, expires: serialToDate(signature.expiration, now) };
  const fail = (problem: SignatureProblem): SignatureCheck => ({ ok: false, problem, ...base });
  const first = rrset[0];
  if (!first) return fail('signature_invalid');
  if (signature.signerName !== zone) return fail('signer_mismatch');
  const ownerLabels = labelCount(first.name);
  const wildcard = labelsOf(first.name)[0]?.toString() === '*';
  if (signature.labels > ownerLabels - (wildcard ? 1 : 0)) return fail('labels_invalid');
  const current = serialNow(now);
  if (serialLess(signature.expiration, current)) return fail('signature_expired');
  if (serialLess(current, signature.inception)) return fail('signature_not_yet_valid');
  if (!supportedAlgorithms.has(signature.algorithm)) return fail('algorithm_unsupported');

  // A wildcard expansion is signed as the wildcard owner (RFC 4035 5.3.2).
  const owner = signature.labels < ownerLabels ? nameFromLabels([Buffer.from('*'), ...labelsOf(lastLabels(first.name, signature.labels))]) : first.name;
  const ownerWire = canonicalWireName(owner);
  const rdatas = [...new Map(rrset.map((record) => {
    const rdata = canonicalRdata(record);
    return [rdata.toString('hex'), rdata] as const;
  })).values()].sort(Buffer.compare);
  const parts: Buffer[] = [signature.signedHeader.subarray(0, 18), canonicalWireName(signature.signerName)];
  for (const rdata of rdatas) {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(first.type, 0);
    fixed.writeUInt16BE(first.class, 2);
    fixed.writeUInt32BE(signature.originalTtl, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    parts.push(ownerWire, fixed, rdata);
  }
  const signed = Buffer.concat(parts);

  const candidates = keys.filter((key) => key.algorithm === signature.algorithm && isZoneKey(key) && !isRevoked(key) && keyTag(key) === signature.keyTag);
  if (candidates.length === 0) return fail('no_matching_key');
  let unusable = false;
  for (const key of candidates) {
    let publicKey: KeyObject;
    try {
      publicKey = publicKeyOf(key);
    } catch {
      unusable = true;
      continue;
    }
    const hash = hashOf(signature.algorithm);
    const isEcdsa = signature.algorithm === 13 || signature.algorithm === 14;
    try {
      const valid = verify(hash, signed, isEcdsa ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, signature.signature);
      if (valid) return { ok: true, ...base };
    } catch {
      // A malformed signature is simply not valid.
    }
  }
  return fail(unusable ? 'key_unusable' : 'signature_invalid');
}

/** The RRSIGs in `records` that cover `type` at `owner`. */
export function signaturesFor(records: WireRecord[], owner: string, type: number): Rrsig[] {
  const found: Rrsig[] = [];
  for (const record of records) {
    if (record.type !== 46 || record.name !== owner) continue;
    try {
      const signature = decodeRrsig(record.rdata);
      if (signature.typeCovered === type) found.push(signature);
    } catch {
      // Skip a malformed RRSIG; if nothing else signs the set, the set is unsigned.
    }
  }
  return found;
}
