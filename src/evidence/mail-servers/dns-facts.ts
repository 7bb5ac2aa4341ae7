// DNS facts shared by the mail-server evidence kinds, as stored JSONB. No I/O here.
import { z } from 'zod';
import type { DnsClient, DnsLookup } from '../../net/dns-client.ts';

/** The DNS questions the mail-server gatherers ask; the scan's caching DnsClient answers them. */
export type MailDns = Pick<DnsClient, 'txt' | 'mx' | 'a' | 'aaaa' | 'query'>;

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

export function outcomeOf(lookup: DnsLookup<unknown>): DnsOutcome {
  return { status: lookup.status, failure: lookup.status === 'error' ? lookup.failure.slice(0, 64) : null };
}

export async function txtFacts(dns: MailDns, name: string): Promise<TxtLookupFacts> {
  const lookup = await dns.txt(name);
  return {
    ...outcomeOf(lookup),
    txt: lookup.status === 'ok' ? lookup.records.slice(0, maxTxtRecords).map((record) => record.slice(0, maxTxtLength)) : [],
  };
}
