// What the name-server gatherer found, as stored JSONB. No I/O here.
import { z } from 'zod';

export const nameserversEvidenceKind = 'dns.nameservers';

const name = z.string().max(300);
const lookupStatus = z.enum(['ok', 'nxdomain', 'nodata', 'error']);
export const lookupSchema = z.object({ name, status: lookupStatus, failure: z.string().max(64).nullable() });
export type LookupFacts = z.infer<typeof lookupSchema>;

export const nameServerSchema = z.object({
  name,
  /** IPv4 then IPv6 addresses of the name server. */
  addresses: z.array(z.string().max(64)).max(16),
  /** Why no address was found, when none was. */
  failure: z.string().max(64).nullable(),
});
export type NameServerFacts = z.infer<typeof nameServerSchema>;

export const nameserversEvidenceSchema = z.object({
  domain: name,
  /** The zone apex the NS set belongs to (the domain or the closest parent with NS records). */
  zone: name.nullable(),
  lookups: z.array(lookupSchema).max(16),
  nameServers: z.array(nameServerSchema).max(20),
});
export type NameserversEvidence = z.infer<typeof nameserversEvidenceSchema>;
