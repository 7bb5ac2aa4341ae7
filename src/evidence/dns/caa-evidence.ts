// What the CAA gatherer found (RFC 8659), as stored JSONB. No I/O here.
import { z } from 'zod';

export const caaEvidenceKind = 'dns.caa';

const name = z.string().max(300);
const lookupStatus = z.enum(['ok', 'nxdomain', 'nodata', 'error']);

export const caaEvidenceSchema = z.object({
  domain: name,
  /** Every name asked, from the domain up towards the top-level domain, until CAA was found. */
  lookups: z.array(z.object({ name, status: lookupStatus, failure: z.string().max(64).nullable() })).max(16),
  /** The name whose CAA set applies (the closest with records), or null. */
  foundAt: name.nullable(),
  records: z.array(z.object({ flags: z.number().int().min(0).max(255), tag: z.string().max(64), value: z.string().max(1024) })).max(50),
});
export type CaaEvidence = z.infer<typeof caaEvidenceSchema>;
