// What the MTA-STS gatherer saw (mail.mta-sts): the `_mta-sts` TXT record, the policy file at
// https://mta-sts.<domain>/.well-known/mta-sts.txt (fetched without following redirects, as
// RFC 8461 3.3 demands), and the MX hosts the policy must admit. No I/O here.
import { z } from 'zod';
import { dnsOutcomeSchema, txtLookupSchema } from './dns-facts.ts';

export const mtaStsEvidenceKind = 'mail.mta-sts';
export const maxPolicyBytes = 64 * 1024;

export const mtaStsEvidenceSchema = z.object({
  domain: z.string().max(253),
  mxLookup: dnsOutcomeSchema,
  nullMx: z.boolean(),
  mxHosts: z.array(z.string().max(253)).max(50),
  record: txtLookupSchema,
  policy: z
    .object({
      url: z.string().max(512),
      address: z.string().max(64).nullable(),
      status: z.number().int().nullable(),
      contentType: z.string().max(256).nullable(),
      body: z.string().max(maxPolicyBytes).nullable(),
      bodyTruncated: z.boolean(),
      /** The certificate chains to a trusted CA and names mta-sts.<domain>. */
      tlsVerified: z.boolean().nullable(),
      tlsError: z.string().max(256).nullable(),
      /** Where a 3xx answer pointed (never followed). */
      redirectLocation: z.string().max(512).nullable(),
      /** Why no response arrived (`no_address`, `tls_failed`, `timeout`, …). */
      failure: z.string().max(64).nullable(),
      failureDetail: z.string().max(256).nullable(),
    })
    .nullable(),
});
export type MtaStsEvidence = z.infer<typeof mtaStsEvidenceSchema>;
