// Which lookalikes of the company's domain exist in DNS, as stored JSONB. No I/O here.
import { z } from 'zod';
import { techniques } from './permutations.ts';

export const lookalikeEvidenceKind = 'people.lookalikes';

const name = z.string().max(253);

export const registeredLookalikeSchema = z.object({
  name,
  unicode: name.nullable(),
  technique: z.enum(techniques),
  nameServers: z.array(name).max(13),
  addresses: z.array(z.string().max(64)).max(8),
  /** Mail exchangers; empty when the name has no MX. */
  mailExchangers: z.array(name).max(10),
  /** RFC 7505 null MX: the owner declares the name sends and receives no mail. */
  nullMx: z.boolean(),
  /**
   * Same name servers AND same mail exchangers as the company's own domain: most likely a
   * defensive registration by the company itself (a heuristic, shown, never warned about).
   */
  likelyOwned: z.boolean(),
});
export type RegisteredLookalike = z.infer<typeof registeredLookalikeSchema>;

export const lookalikeEvidenceSchema = z.object({
  /** The registrable domain the lookalikes are made of (`bakkerij.nl` for `www.bakkerij.nl`). */
  domain: name,
  generated: z.number().int().min(0).max(5000),
  checked: z.number().int().min(0).max(5000),
  original: z.object({ nameServers: z.array(name).max(13), mailExchangers: z.array(name).max(10) }),
  registered: z.array(registeredLookalikeSchema).max(500),
  /** Names whose lookup failed (timeout, SERVFAIL): unknown, neither registered nor free. */
  dnsFailures: z.number().int().min(0).max(5000),
  /** False when the scan's deadline stopped the lookups early. */
  complete: z.boolean(),
  error: z.enum(['not_registrable', 'dns_failure']).nullable(),
});
export type LookalikeEvidence = z.infer<typeof lookalikeEvidenceSchema>;
