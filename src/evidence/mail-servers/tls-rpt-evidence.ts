// What the TLS-RPT gatherer saw (mail.tls-rpt): the `_smtp._tls` TXT record (RFC 8460) and
// whether the domain receives mail at all. No I/O here.
import { z } from 'zod';
import { dnsOutcomeSchema, txtLookupSchema } from './dns-facts.ts';

export const tlsRptEvidenceKind = 'mail.tls-rpt';

export const tlsRptEvidenceSchema = z.object({
  domain: z.string().max(253),
  mxLookup: dnsOutcomeSchema,
  nullMx: z.boolean(),
  mxHosts: z.array(z.string().max(253)).max(50),
  record: txtLookupSchema,
});
export type TlsRptEvidence = z.infer<typeof tlsRptEvidenceSchema>;
