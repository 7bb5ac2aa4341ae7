// What the SPF gatherer saw, as stored JSONB. No I/O here: checks import this module, never
// the gatherer.
import { z } from 'zod';

export const spfEvidenceKind = 'mail.spf';

export const spfResults = ['none', 'neutral', 'pass', 'fail', 'softfail', 'temperror', 'permerror'] as const;
export const spfProblemCodes = ['syntax', 'multiple_records', 'lookup_limit', 'void_limit', 'mx_limit', 'include_none', 'redirect_none', 'dns_error'] as const;
export const spfQualifiers = ['+', '-', '~', '?'] as const;
/** Mail hosting recognised from the includes, so advice can name the setup. */
export const mailProviders = ['microsoft365', 'google_workspace'] as const;

/**
 * The address check_host() is asked about: TEST-NET-1 (RFC 5737), which no honest policy
 * authorises, so evaluation walks the whole policy the way a receiver does for a stranger.
 */
export const spfProbeAddress = '192.0.2.1';

const text = (max = 1024) => z.string().max(max);

export const spfEvidenceSchema = z.object({
  domain: text(),
  /** The domain's own TXT lookup failed: nothing can be judged. */
  lookupError: z.enum(['dns_timeout', 'dns_failure']).nullable(),
  /** Every TXT record at the domain that starts with v=spf1 (more than one is an error). */
  records: z.array(text(4096)).max(20),
  evaluation: z
    .object({
      probeAddress: text(64),
      result: z.enum(spfResults),
      problem: z.object({ code: z.enum(spfProblemCodes), domain: text(), detail: text() }).nullable(),
      matched: z.object({ domain: text(), term: text() }).nullable(),
      dnsLookups: z.number().int().nonnegative(),
      voidLookups: z.number().int().nonnegative(),
      records: z
        .array(
          z.object({
            domain: text(),
            record: text(4096),
            via: z.enum(['initial', 'include', 'redirect']),
            depth: z.number().int().nonnegative(),
            /** Published under the scanned domain's organisation, not by a provider it includes. */
            ownOrganisation: z.boolean(),
          }),
        )
        .max(50),
    })
    .nullable(),
  /** The qualifier of the `all` that ends the domain's policy (after redirects); null when there is none. */
  allQualifier: z.enum(spfQualifiers).nullable(),
  /** Ranges in the organisation's own records at least as wide as the thresholds below. */
  broadRanges: z
    .array(z.object({ domain: text(), term: text(), family: z.union([z.literal(4), z.literal(6)]), prefixLength: z.number().int().min(0).max(128) }))
    .max(50),
  /** Domains the policy includes (or redirects to), in order. */
  includes: z.array(text()).max(50),
  providers: z.array(z.enum(mailProviders)).max(mailProviders.length),
});
export type SpfEvidence = z.infer<typeof spfEvidenceSchema>;

/** IPv4 ranges of /16 (65,536 addresses) or wider, IPv6 of /32 (a whole provider's allocation) or wider. */
export const broadIpv4Prefix = 16;
export const broadIpv6Prefix = 32;
