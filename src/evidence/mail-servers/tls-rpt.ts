// Gather mail.tls-rpt: the `_smtp._tls` TXT record (RFC 8460) and the MX set (a domain that
// receives no mail needs no TLS reports). Two DNS questions, both through the caching client.
import type { Evidence } from '../../checks/types.ts';
import { type MailDns, mxFacts, txtFacts } from './lookups.ts';
import { type TlsRptEvidence, tlsRptEvidenceKind, tlsRptEvidenceSchema } from './tls-rpt-evidence.ts';

/** Never throws: an unexpected failure becomes evidence of a failed lookup (`internal`). */
export async function gatherTlsRptEvidence(domain: string, options: { dns: MailDns }): Promise<Evidence<TlsRptEvidence>> {
  try {
    return await gatherTlsRpt(domain, options);
  } catch {
    const failed = { status: 'error' as const, failure: 'internal' };
    const data: TlsRptEvidence = { domain: domain.slice(0, 253), mxLookup: failed, nullMx: false, mxHosts: [], record: { ...failed, txt: [] } };
    return { kind: tlsRptEvidenceKind, gatheredAt: new Date().toISOString(), data };
  }
}

async function gatherTlsRpt(domain: string, options: { dns: MailDns }): Promise<Evidence<TlsRptEvidence>> {
  const [mx, record] = await Promise.all([mxFacts(options.dns, domain), txtFacts(options.dns, `_smtp._tls.${domain}`)]);
  const data: TlsRptEvidence = { domain: domain.slice(0, 253), mxLookup: mx.lookup, nullMx: mx.nullMx, mxHosts: mx.hosts.slice(0, 50), record };
  return { kind: tlsRptEvidenceKind, gatheredAt: new Date().toISOString(), data: tlsRptEvidenceSchema.parse(data) };
}
