// Key material for DKIM fixtures, made at test time.
import { generateKeyPairSync } from 'node:crypto';

/** A DKIM p= value for a fresh RSA key of `bits` (SubjectPublicKeyInfo or bare PKCS#1, base64). */
export function rsaDkimKey(bits: number, format: 'spki' | 'pkcs1' = 'spki'): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ format: 'der', type: format }).toString('base64');
}

/** A DKIM p= value for a fresh Ed25519 key: the 32 raw bytes (RFC 8463). */
export function ed25519DkimKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
}
