// What the DKIM gatherer saw (mail.dkim): the TXT records at <selector>._domainkey.<domain>
// for a list of common selectors. Stored raw so a newer parser can re-judge old evidence.
import { z } from 'zod';
import { dnsOutcomeSchema, txtLookupSchema } from './dns-facts.ts';

export const dkimEvidenceKind = 'mail.dkim';

export const dkimEvidenceSchema = z.object({
  domain: z.string().max(253),
  /** `_domainkey.<domain>`: nxdomain means no key exists under any selector (RFC 8020). */
  domainkeyNode: dnsOutcomeSchema,
  /** The MX hosts, to recognise hosted mail (Microsoft 365, Google) in the advice. */
  mxHosts: z.array(z.string().max(253)).max(20),
  selectors: z.array(
    txtLookupSchema.extend({
      selector: z.string().max(63),
    }),
  ).max(60),
});
export type DkimEvidence = z.infer<typeof dkimEvidenceSchema>;
