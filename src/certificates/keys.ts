// The signing keys of the Cyberkeurmerk. Private keys live in a key directory (default
// DATA_DIR/cyberkeurmerk-keys, or CYBERKEURMERK_KEY_DIR), one PKCS#8 PEM per key, readable by
// the owner only; the file `active` names the key that signs. CYBERKEURMERK_SIGNING_KEY may
// carry the active private key as PEM instead (a secret store). Public keys are also stored in
// the database, so every process publishes the same key document, and a rotated-out key stays
// published (marked retired) so certificates signed with it remain verifiable.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { keyIdOf, type PublicKeyEntry } from './statement.ts';

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface KeySettings {
  directory: string;
  /** PKCS#8 PEM of the active key from the environment; overrides the directory's `active`. */
  privateKeyPem?: string;
}

export function keySettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeySettings {
  const directory = env.CYBERKEURMERK_KEY_DIR && env.CYBERKEURMERK_KEY_DIR !== '' ? env.CYBERKEURMERK_KEY_DIR : join(dataDir, 'cyberkeurmerk-keys');
  return { directory: resolve(directory), ...(env.CYBERKEURMERK_SIGNING_KEY ? { privateKeyPem: env.CYBERKEURMERK_SIGNING_KEY } : {}) };
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The Cyberkeurmerk signing key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

function writeKey(directory: string, key: SigningKey) {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const privatePath = join(directory, `${key.keyId}.private.pem`);
  writeFileSync(privatePath, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(join(directory, `${key.keyId}.public.pem`), key.publicKey.export({ format: 'pem', type: 'spki' }));
}

export function generateSigningKey(): SigningKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

/** Makes a new key the active one; the old keys stay in the directory (and published). */
export function rotateSigningKey(settings: KeySettings): SigningKey {
  if (settings.privateKeyPem) throw new Error('The signing key comes from CYBERKEURMERK_SIGNING_KEY; rotate it there');
  const key = generateSigningKey();
  writeKey(settings.directory, key);
  writeFileSync(join(settings.directory, 'active'), `${key.keyId}\n`);
  return key;
}

/** The active signing key; the first use creates one in the key directory. */
export function loadSigningKey(settings: KeySettings, options: { create?: boolean } = {}): SigningKey | null {
  if (settings.privateKeyPem) return fromPrivate(createPrivateKey(settings.privateKeyPem));
  const activePath = join(settings.directory, 'active');
  if (!existsSync(activePath)) return options.create === false ? null : rotateSigningKey(settings);
  const keyId = readFileSync(activePath, 'utf8').trim();
  if (!/^ck-[A-Za-z0-9_-]{16}$/.test(keyId)) throw new Error(`${activePath} does not name a key`);
  const key = fromPrivate(createPrivateKey(readFileSync(join(settings.directory, `${keyId}.private.pem`), 'utf8')));
  if (key.keyId !== keyId) throw new Error(`The key file of ${keyId} holds another key`);
  return key;
}

/** Every public key in the key directory (the active one and those rotated out). */
export function publicKeysInDirectory(directory: string): PublicKeyEntry[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.public.pem'))
    .sort()
    .map((name) => {
      const publicKey = createPublicKey(readFileSync(join(directory, name), 'utf8'));
      return { keyId: keyIdOf(publicKey), publicKey };
    });
}

export const publicJwk = (publicKey: KeyObject): { kty: 'OKP'; crv: 'Ed25519'; x: string } => {
  const jwk = publicKey.export({ format: 'jwk' });
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string };
};

/** Records the active key's public half in the database and marks every other key retired. */
export async function publishSigningKey(db: Kysely<DB>, key: SigningKey, now: Date = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('certificate_signing_keys')
      .values({ key_id: key.keyId, public_jwk: JSON.stringify(publicJwk(key.publicKey)), created_at: now, retired_at: null })
      .onConflict((oc) => oc.column('key_id').doUpdateSet({ retired_at: null }))
      .execute();
    await trx.updateTable('certificate_signing_keys').set({ retired_at: now }).where('key_id', '!=', key.keyId).where('retired_at', 'is', null).execute();
  });
}

export interface PublishedKey {
  kid: string;
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  alg: 'EdDSA';
  use: 'sig';
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

/** The public key document served at /.well-known/cyberkeurmerk-keys.json. */
export async function keyDocument(db: Kysely<DB>): Promise<{ issuer: string; keys: PublishedKey[] }> {
  const rows = await db.selectFrom('certificate_signing_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
  return {
    issuer: 'Cybermonitor Cyberkeurmerk',
    keys: rows.map((row) => {
      const jwk = row.public_jwk as { x: string };
      return {
        kid: row.key_id,
        kty: 'OKP',
        crv: 'Ed25519',
        x: jwk.x,
        alg: 'EdDSA',
        use: 'sig',
        status: row.retired_at ? 'retired' : 'active',
        createdAt: row.created_at.toISOString(),
        retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
      };
    }),
  };
}
