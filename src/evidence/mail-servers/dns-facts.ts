// DNS facts shared by the mail-server evidence kinds, as stored JSONB. No I/O here.
import { z } from 'zod';

export const dnsStatuses = ['ok', 'nxdomain', 'nodata', 'error'] as const;

export const dnsOutcomeSchema = z.object({
  status: z.enum(dnsStatuses),
  /** The DNS client's reason when status is `error` (`timeout`, `servfail`, …). */
  failure: z.string().max(64).nullable(),
});
export type DnsOutcome = z.infer<typeof dnsOutcomeSchema>;

export const maxTxtRecords = 10;
export const maxTxtLength = 4096;

export const txtLookupSchema = dnsOutcomeSchema.extend({
  /** Each record's strings joined, bounded in number and length. */
  txt: z.array(z.string().max(maxTxtLength)).max(maxTxtRecords),
});
export type TxtLookupFacts = z.infer<typeof txtLookupSchema>;
