// What the dangling-CNAME gatherer found, as stored JSONB. No I/O here.
import { z } from 'zod';

export const danglingCnameEvidenceKind = 'dns.dangling-cname';

const name = z.string().max(300);

export const aliasVerdicts = [
  /** A cloud service's own signal says the target is unclaimed: anyone can claim it. */
  'takeover',
  /** The target's registered domain does not exist: anyone can register it. */
  'unregistered',
  /** The target does not exist, and no known service matches. */
  'dangling',
  /** The target exists and shows no unclaimed-service signal. */
  'ok',
  /** A lookup or fetch failed: unknown. */
  'unknown',
] as const;

export const aliasSchema = z.object({
  name,
  sources: z.array(z.enum(['declared', 'common', 'certificate_transparency'])).max(3),
  /** CNAME targets in order; the last one is the final target. */
  chain: z.array(name).max(10),
  targetStatus: z.enum(['resolves', 'nxdomain', 'nodata', 'error', 'loop']),
  /** Whether the final target's registered domain exists (null: not asked or unknown). */
  targetDomainExists: z.boolean().nullable(),
  service: z.string().max(64).nullable(),
  fingerprint: z
    .object({
      url: z.string().max(2048),
      status: z.number().int().nullable(),
      matched: z.string().max(200).nullable(),
      failure: z.string().max(64).nullable(),
    })
    .nullable(),
  verdict: z.enum(aliasVerdicts),
});
export type AliasFacts = z.infer<typeof aliasSchema>;

export const danglingCnameEvidenceSchema = z.object({
  domain: name,
  sources: z.object({
    declared: z.number().int().nonnegative(),
    common: z.number().int().nonnegative(),
    certificateTransparency: z.object({
      status: z.enum(['ok', 'off', 'failed', 'too_large', 'invalid']),
      names: z.number().int().nonnegative(),
      detail: z.string().max(100).nullable(),
    }),
  }),
  /** Names looked up for a CNAME. */
  checked: z.number().int().nonnegative(),
  /** How many names' CNAME lookup failed, and the first few of them. */
  failedCount: z.number().int().nonnegative(),
  failedLookups: z.array(z.object({ name, failure: z.string().max(64) })).max(20),
  /** Every name found to be an alias (CNAME), with its verdict. */
  aliases: z.array(aliasSchema).max(150),
});
export type DanglingCnameEvidence = z.infer<typeof danglingCnameEvidenceSchema>;
