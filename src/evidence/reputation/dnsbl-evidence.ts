// What the DNSBL lookups found, as stored JSONB. No I/O here.
import { z } from 'zod';

export const dnsblEvidenceKind = 'reputation.dnsbl';

const name = z.string().max(300);
const address = z.string().max(64);

export const dnsblZoneStatuses = [
  /** The zone lists its RFC 5782 test entry 127.0.0.2 and not 127.0.0.1: its answers count. */
  'ok',
  /** The test entry is not listed: the zone is gone or does not answer this resolver. */
  'unavailable',
  /** The zone refuses this resolver (Spamhaus answers 127.255.255.x to public resolvers). */
  'refused',
  /** The zone lists 127.0.0.1 too: it lists everything (an expired blocklist domain). */
  'lists_everything',
] as const;

export const dnsblEvidenceSchema = z.object({
  domain: name,
  zones: z.array(z.object({ zone: name, status: z.enum(dnsblZoneStatuses), detail: z.string().max(100).nullable() })).max(20),
  addresses: z.array(z.object({ address, roles: z.array(z.enum(['mail', 'web'])).max(2), hosts: z.array(name).max(10) })).max(32),
  /** Addresses not looked up because they are not public (private, loopback, …). */
  skippedAddresses: z.array(address).max(32),
  listings: z.array(z.object({ address, zone: name, codes: z.array(address).max(10), reason: z.string().max(500).nullable() })).max(200),
  /** Lookups that failed (timeouts, SERVFAIL): their answer is unknown. */
  failures: z.array(z.object({ name, failure: z.string().max(64) })).max(20),
});
export type DnsblEvidence = z.infer<typeof dnsblEvidenceSchema>;
