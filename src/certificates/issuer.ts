// Who signs: the active key (loaded, or made on first use) and the public URL that the QR code
// and the statement point to. One issuer per process; the key's public half is published in the
// database before the first signature.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { NormSet } from '../norm/load.ts';
import { issueDocument } from './document.ts';
import { loadSigningKey, publishSigningKey, type KeySettings, type SigningKey } from './keys.ts';
import { STATEMENT_FORMAT, STATEMENT_TYPE } from './statement.ts';

export interface CertificateIssuer {
  publicUrl: string;
  /** The active key, published; call outside any transaction. */
  signingKey(): Promise<SigningKey>;
}

export function createIssuer(db: Kysely<DB>, options: { publicUrl: string; keys: KeySettings }): CertificateIssuer {
  let ready: Promise<SigningKey> | undefined;
  return {
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    signingKey() {
      ready ??= (async () => {
        const key = loadSigningKey(options.keys);
        if (!key) throw new Error('no signing key');
        await publishSigningKey(db, key);
        return key;
      })();
      ready.catch(() => {
        ready = undefined;
      });
      return ready;
    },
  };
}

export const verifyUrlFor = (publicUrl: string, certificateId: string): string => `${publicUrl}/verify/${certificateId}`;

/**
 * Signs a certificate row that is about to become `issued`: builds the statement from the
 * stored facts, lays out and signs the PDF, and stores all of it with the row. Inside `trx`.
 */
export async function signCertificate(
  trx: Transaction<DB>,
  certificateId: string,
  options: { key: SigningKey; publicUrl: string; norms: NormSet; now: Date },
): Promise<void> {
  const row = await trx
    .selectFrom('certificates')
    .innerJoin('organisations', 'organisations.id', 'certificates.organisation_id')
    .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
    .select([
      'certificates.id',
      'certificates.norm_id',
      'certificates.norm_version',
      'certificates.level',
      'certificates.valid_from',
      'certificates.valid_until',
      'certificates.measured_areas',
      'certificates.not_measured_areas',
      'organisations.name as company_name',
      'organisations.kvk_number',
      'programmes.name as programme_name',
      'programmes.region',
    ])
    .where('certificates.id', '=', certificateId)
    .executeTakeFirstOrThrow();
  const norm = options.norms.byVersion(row.norm_version) ?? options.norms.latest();
  const { signed, pdf } = await issueDocument(
    {
      type: STATEMENT_TYPE,
      format: STATEMENT_FORMAT,
      id: row.id,
      company: { name: row.company_name, kvkNumber: row.kvk_number },
      programme: { name: row.programme_name, region: row.region },
      norm: { id: row.norm_id, version: row.norm_version },
      level: row.level,
      scope: { measuredAreas: row.measured_areas as string[], notMeasuredAreas: row.not_measured_areas as string[] },
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      issuedAt: options.now.toISOString(),
      verifyUrl: verifyUrlFor(options.publicUrl, row.id),
      keyId: options.key.keyId,
    },
    { areaTitles: Object.fromEntries(norm.areas.map((a) => [a.id, a.title])), normTitle: norm.title, streakMonths: norm.certificate.streakMonths },
    options.key,
  );
  await trx
    .updateTable('certificates')
    .set({
      state: 'issued',
      statement: JSON.stringify(signed.statement),
      signature: signed.signature.value,
      key_id: options.key.keyId,
      document: pdf,
      issued_at: options.now,
      updated_at: options.now,
    })
    .where('id', '=', certificateId)
    .execute();
}
