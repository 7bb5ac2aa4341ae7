// What the DNSSEC gatherer found, as stored JSONB. No I/O here.
import { z } from 'zod';

export const dnssecEvidenceKind = 'dns.dnssec';

const name = z.string().max(300);

export const dnssecEvidenceSchema = z.object({
  domain: name,
  /** Where trust starts: the IANA root anchors shipped with the product, or configured ones. */
  anchorSource: z.enum(['iana_root', 'configured']),
  /** The anchor zone used for this domain (null when none covers it). */
  anchor: name.nullable(),
  status: z.enum(['secure', 'insecure', 'bogus', 'indeterminate']),
  /** Stable code for why the status is not secure (`unsigned_delegation`, `ds_mismatch`, `dns_timeout`, …). */
  reason: z.string().max(64).nullable(),
  /** The zone or name where the chain ended or broke. */
  at: name.nullable(),
  /** The zone the domain lives in, when the walk got that far. */
  zone: name.nullable(),
  chain: z
    .array(
      z.object({
        zone: name,
        via: z.enum(['anchor', 'ds', 'unsigned_delegation', 'failed']),
        keyTags: z.array(z.number().int().min(0).max(65535)).max(16),
        algorithms: z.array(z.number().int().min(0).max(255)).max(8),
        dsKeyTags: z.array(z.number().int().min(0).max(65535)).max(16),
      }),
    )
    .max(40),
  /** Earliest expiry of the verified signatures in the domain's own zone. */
  signaturesExpire: z.iso.datetime().nullable(),
  /** DNS questions the validation asked. */
  queries: z.number().int().nonnegative(),
});
export type DnssecEvidence = z.infer<typeof dnssecEvidenceSchema>;
