// Parsing a DKIM key record (RFC 6376 section 3.6.1, Ed25519 from RFC 8463, SHA-1 retired by
// RFC 8301). Pure: the key is decoded with node:crypto, nothing is fetched.
import { createPublicKey, type KeyObject } from 'node:crypto';

export type DkimKeyType = 'rsa' | 'ed25519';

export type DkimRecordError =
  /** Not a tag=value list. */
  | 'syntax'
  /** A tag appears twice (RFC 6376: MUST NOT). */
  | 'duplicate_tag'
  /** v= present but not `DKIM1`, or not the first tag. */
  | 'version'
  /** No p= tag. */
  | 'no_key'
  /** k= names a key type we (and verifiers) do not know. */
  | 'unknown_key_type'
  /** p= is not base64 or not a key of the declared type. */
  | 'bad_key';

export interface DkimKey {
  keyType: DkimKeyType;
  /** RSA modulus length; 256 for Ed25519; null for a revoked key. */
  bits: number | null;
  /** p= is empty: the key was withdrawn (RFC 6376 3.6.1). */
  revoked: boolean;
  /** t=y: the domain is testing DKIM, verifiers may treat failures as unsigned. */
  testing: boolean;
  /** h= allows only SHA-1, which RFC 8301 forbids for signing and verifying. */
  sha1Only: boolean;
}

export type DkimRecordParse = { ok: true; key: DkimKey } | { ok: false; error: DkimRecordError; detail: string };

const tagName = /^[A-Za-z][A-Za-z0-9_]*$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
// DER prefix of an Ed25519 SubjectPublicKeyInfo; RFC 8463 publishes only the 32 raw key bytes.
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** The tags of an RFC 6376 tag-list, in order; undefined when the text is not one. */
export function parseTagList(text: string): { tags: Array<[string, string]>; duplicate?: string } | undefined {
  const tags: Array<[string, string]> = [];
  const seen = new Set<string>();
  let duplicate: string | undefined;
  const parts = text.split(';');
  // A trailing `;` is allowed; empty parts in between are not tags.
  if (parts.length > 1 && parts[parts.length - 1]?.trim() === '') parts.pop();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals === -1) return undefined;
    const name = part.slice(0, equals).trim();
    if (!tagName.test(name)) return undefined;
    const value = part.slice(equals + 1).trim();
    if (seen.has(name)) duplicate ??= name;
    seen.add(name);
    tags.push([name, value]);
  }
  return duplicate === undefined ? { tags } : { tags, duplicate };
}

function decodeKey(keyType: DkimKeyType, data: Buffer): KeyObject | undefined {
  try {
    if (keyType === 'ed25519') {
      if (data.length !== 32) return undefined;
      return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, data]), format: 'der', type: 'spki' });
    }
    try {
      return createPublicKey({ key: data, format: 'der', type: 'spki' });
    } catch {
      // Some publishers put the bare PKCS#1 RSAPublicKey in p=; verifiers such as OpenDKIM accept it.
      return createPublicKey({ key: data, format: 'der', type: 'pkcs1' });
    }
  } catch {
    return undefined;
  }
}

export function parseDkimRecord(text: string): DkimRecordParse {
  const list = parseTagList(text);
  if (!list) return { ok: false, error: 'syntax', detail: text.slice(0, 100) };
  if (list.duplicate !== undefined) return { ok: false, error: 'duplicate_tag', detail: list.duplicate };
  const tags = new Map(list.tags);
  const version = tags.get('v');
  if (version !== undefined && (version !== 'DKIM1' || list.tags[0]?.[0] !== 'v')) {
    return { ok: false, error: 'version', detail: version.slice(0, 20) };
  }
  const declaredType = (tags.get('k') ?? 'rsa').toLowerCase();
  if (declaredType !== 'rsa' && declaredType !== 'ed25519') return { ok: false, error: 'unknown_key_type', detail: declaredType.slice(0, 20) };
  const keyType: DkimKeyType = declaredType;
  const flags = (tags.get('t') ?? '').split(':').map((flag) => flag.trim().toLowerCase());
  const hashes = tags.has('h') ? (tags.get('h') ?? '').split(':').map((hash) => hash.trim().toLowerCase()).filter(Boolean) : [];
  const common = { keyType, testing: flags.includes('y'), sha1Only: hashes.length > 0 && hashes.every((hash) => hash === 'sha1') };

  const p = tags.get('p');
  if (p === undefined) return { ok: false, error: 'no_key', detail: '' };
  const encoded = p.replace(/\s+/g, '');
  if (encoded === '') return { ok: true, key: { ...common, bits: null, revoked: true } };
  if (!base64.test(encoded)) return { ok: false, error: 'bad_key', detail: 'base64' };
  const key = decodeKey(keyType, Buffer.from(encoded, 'base64'));
  if (!key || key.asymmetricKeyType !== keyType) return { ok: false, error: 'bad_key', detail: key?.asymmetricKeyType ?? keyType };
  const bits = keyType === 'ed25519' ? 256 : (key.asymmetricKeyDetails?.modulusLength ?? null);
  return { ok: true, key: { ...common, bits, revoked: false } };
}
