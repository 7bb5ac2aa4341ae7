// The signed statement behind every Cyberkeurmerk: a JSON object, canonicalised with RFC 8785
// (JCS) and signed with Ed25519. The same signed statement is embedded in the certificate PDF
// (a PDF comment line just before `startxref`, so no offset in the file moves) and offered for
// download beside it. The statement carries the SHA-256 of the PDF without that line, so one
// changed byte anywhere in the PDF breaks the verification.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

export const STATEMENT_TYPE = 'cyberkeurmerk-certificate';
export const STATEMENT_FORMAT = 1;
const MARKER = '%CYBERKEURMERK-SIGNED-STATEMENT ';

export interface CertificateStatement {
  type: typeof STATEMENT_TYPE;
  format: typeof STATEMENT_FORMAT;
  id: string;
  company: { name: string; kvkNumber: string };
  programme: { name: string; region: string };
  norm: { id: string; version: string };
  level: string;
  scope: { measuredAreas: string[]; notMeasuredAreas: string[] };
  validFrom: string;
  validUntil: string;
  issuedAt: string;
  verifyUrl: string;
  keyId: string;
  /** The PDF this statement belongs to (absent for a statement signed on its own). */
  document?: { mediaType: 'application/pdf'; sha256: string };
}

export interface SignedStatement {
  statement: CertificateStatement;
  signature: { alg: 'Ed25519'; keyId: string; value: string };
}

export const canonicalBytes = (value: unknown): Buffer => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalised');
  return Buffer.from(text, 'utf8');
};

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function signStatement(statement: CertificateStatement, key: { keyId: string; privateKey: KeyObject }): SignedStatement {
  if (statement.keyId !== key.keyId) throw new Error('statement names another key');
  const value = sign(null, canonicalBytes(statement), key.privateKey).toString('base64url');
  return { statement, signature: { alg: 'Ed25519', keyId: key.keyId, value } };
}

/** The PDF with the signed statement embedded, and the statement's hash over the plain PDF. */
export function embedInPdf(pdf: Buffer, signed: SignedStatement): Buffer {
  const at = pdf.lastIndexOf('startxref');
  if (at < 0) throw new Error('not a PDF: no startxref');
  const line = Buffer.from(`${MARKER}${Buffer.from(JSON.stringify(signed), 'utf8').toString('base64url')}\n`, 'latin1');
  return Buffer.concat([pdf.subarray(0, at), line, pdf.subarray(at)]);
}

/** The plain PDF and the embedded statement (unparsed), or null when the file carries none. */
export function extractFromPdf(file: Buffer): { document: Buffer; embedded: string } | null {
  const start = file.lastIndexOf(MARKER);
  if (start < 0) return null;
  const end = file.indexOf(0x0a, start);
  if (end < 0) return null;
  const encoded = file.subarray(start + MARKER.length, end).toString('latin1');
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { document: Buffer.concat([file.subarray(0, start), file.subarray(end + 1)]), embedded: '' };
  return {
    document: Buffer.concat([file.subarray(0, start), file.subarray(end + 1)]),
    embedded: Buffer.from(encoded, 'base64url').toString('utf8'),
  };
}

export type VerificationOutcome = 'valid' | 'tampered' | 'unknown_key' | 'expired';

export interface VerificationResult {
  outcome: VerificationOutcome;
  /** Present when the signature is good (valid or expired). */
  statement?: CertificateStatement;
  keyId?: string;
  /** Why it is not valid, for people: a short machine-readable reason. */
  reason?: string;
  /** Whether the file was a PDF (the document hash was checked) or a bare statement. */
  kind?: 'pdf' | 'statement';
}

export interface PublicKeyEntry {
  keyId: string;
  publicKey: KeyObject;
}

const signedShape = (value: unknown): value is SignedStatement => {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const signature = v.signature as Record<string, unknown> | undefined;
  const statement = v.statement as Record<string, unknown> | undefined;
  return (
    !!statement &&
    typeof statement === 'object' &&
    statement.type === STATEMENT_TYPE &&
    !!signature &&
    signature.alg === 'Ed25519' &&
    typeof signature.keyId === 'string' &&
    typeof signature.value === 'string' &&
    typeof statement.validUntil === 'string'
  );
};

/**
 * Verifies a certificate PDF or a downloaded signed statement (JSON) against the given public
 * keys, offline. `today` is the local date (YYYY-MM-DD) used for expiry.
 */
export function verifyCertificateFile(input: Uint8Array, keys: readonly PublicKeyEntry[], today: string): VerificationResult {
  const file = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let text: string;
  let document: Buffer | null = null;
  const kind: 'pdf' | 'statement' = file.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : 'statement';
  if (kind === 'pdf') {
    const extracted = extractFromPdf(file);
    if (!extracted) return { outcome: 'tampered', reason: 'no_signature', kind };
    text = extracted.embedded;
    document = extracted.document;
  } else {
    text = file.toString('utf8');
  }
  let signed: unknown;
  try {
    signed = JSON.parse(text);
  } catch {
    return { outcome: 'tampered', reason: 'unreadable', kind };
  }
  if (!signedShape(signed)) return { outcome: 'tampered', reason: 'unreadable', kind };
  const keyId = signed.signature.keyId;
  if (signed.statement.keyId !== keyId) return { outcome: 'tampered', reason: 'key_mismatch', kind, keyId };
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) return { outcome: 'unknown_key', keyId, kind };
  let good = false;
  try {
    good = verify(null, canonicalBytes(signed.statement), key.publicKey, Buffer.from(signed.signature.value, 'base64url'));
  } catch {
    good = false;
  }
  if (!good) return { outcome: 'tampered', reason: 'bad_signature', kind, keyId };
  if (document) {
    if (!signed.statement.document || signed.statement.document.sha256 !== sha256Hex(document)) {
      return { outcome: 'tampered', reason: 'document_changed', kind, keyId };
    }
  }
  if (signed.statement.validUntil < today) return { outcome: 'expired', statement: signed.statement, keyId, kind };
  return { outcome: 'valid', statement: signed.statement, keyId, kind };
}

/** Public keys from a key document (/.well-known/cyberkeurmerk-keys.json), one JWK, or a PEM. */
export function parsePublicKeys(text: string): PublicKeyEntry[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const publicKey = createPublicKey(trimmed);
    return [{ keyId: keyIdOf(publicKey), publicKey }];
  }
  const parsed = JSON.parse(trimmed) as { keys?: unknown[] } & Record<string, unknown>;
  const jwks = Array.isArray(parsed.keys) ? parsed.keys : [parsed];
  return jwks.map((jwk) => {
    const entry = jwk as { kid?: string; kty?: string; crv?: string; x?: string };
    if (entry.kty !== 'OKP' || entry.crv !== 'Ed25519' || typeof entry.x !== 'string') throw new Error('not an Ed25519 public key');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: entry.x }, format: 'jwk' });
    const keyId = keyIdOf(publicKey);
    if (entry.kid !== undefined && entry.kid !== keyId) throw new Error(`key id ${entry.kid} does not belong to this key`);
    return { keyId, publicKey };
  });
}

/** A key's id is derived from the key itself: `ck-` and the start of the SHA-256 of its raw bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return `ck-${createHash('sha256').update(raw).digest('base64url').slice(0, 16)}`;
}
