// What the DMARC gatherer saw, as stored JSONB. No I/O here.
import { z } from 'zod';
import { dmarcErrorCodes, dmarcPolicies } from './dmarc-record.ts';

export const dmarcEvidenceKind = 'mail.dmarc';

const text = (max = 1024) => z.string().max(max);
const policy = z.enum(dmarcPolicies).nullable();
const reportUri = z.object({ uri: text(), domain: text().nullable() });

export const dmarcEvidenceSchema = z.object({
  domain: text(),
  /** RFC 7489 §3.2, from the Public Suffix List. */
  organisationalDomain: text(),
  /** A DNS failure kept discovery from finishing: nothing can be judged. */
  lookupError: z.enum(['dns_timeout', 'dns_failure']).nullable(),
  /** Where the record was found: at _dmarc.<domain> or at the organisational domain. */
  source: z.enum(['domain', 'organisational']).nullable(),
  /** The domain that published the record. */
  recordDomain: text().nullable(),
  /** Every TXT record there that claims to be DMARC (more than one means no policy applies). */
  records: z.array(text(4096)).max(10),
  policy: z
    .object({
      p: policy,
      sp: policy,
      np: policy,
      pct: z.number().int().min(0).max(100),
      testing: z.boolean(),
      adkim: z.enum(['r', 's']),
      aspf: z.enum(['r', 's']),
      rua: z.array(reportUri).max(20),
      ruf: z.array(reportUri).max(20),
      fo: text(64).nullable(),
      ri: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
  errors: z.array(z.object({ code: z.enum(dmarcErrorCodes), tag: text(64), value: text() })).max(20),
  /** Report addresses outside the organisation, and whether they agreed to receive reports (RFC 7489 §7.1). */
  externalDestinations: z
    .array(
      z.object({
        kind: z.enum(['rua', 'ruf']),
        uri: text(),
        domain: text(),
        /** The name asked: <recordDomain>._report._dmarc.<domain>. */
        authorisationName: text(),
        /** null when DNS could not tell. */
        authorised: z.boolean().nullable(),
      }),
    )
    .max(20),
});
export type DmarcEvidence = z.infer<typeof dmarcEvidenceSchema>;
