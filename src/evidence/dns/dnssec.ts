// Gather dns.dnssec: validate the scanned domain from the trust anchor down (the IANA root by
// default, `--trust-anchor FILE` otherwise) through the scan's resolver with DO and CD set.
import type { Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import type { RawDnsClient } from '../../net/dnssec/transport.ts';
import { parseTrustAnchors, rootTrustAnchors, type TrustAnchor } from '../../net/dnssec/trust-anchor.ts';
import { validateDomain } from '../../net/dnssec/validator.ts';
import { type DnssecEvidence, dnssecEvidenceKind, dnssecEvidenceSchema } from './dnssec-evidence.ts';

export interface DnssecGatherOptions {
  raw: RawDnsClient;
  /** Zone-file DS/DNSKEY records; the shipped IANA root anchors when absent. */
  trustAnchors?: string;
  now?: () => Date;
}

export async function gatherDnssecEvidence(domain: string, options: DnssecGatherOptions): Promise<Evidence<DnssecEvidence>> {
  const anchorSource = options.trustAnchors === undefined ? 'iana_root' : 'configured';
  const before = options.raw.stats().queries;
  const evidence = (data: Omit<DnssecEvidence, 'domain' | 'anchorSource' | 'queries'>): Evidence<DnssecEvidence> => ({
    kind: dnssecEvidenceKind,
    gatheredAt: new Date().toISOString(),
    data: dnssecEvidenceSchema.parse({ domain, anchorSource, queries: options.raw.stats().queries - before, ...data }),
  });
  let anchors: TrustAnchor[];
  try {
    anchors = options.trustAnchors === undefined ? rootTrustAnchors() : parseTrustAnchors(options.trustAnchors);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return evidence({ anchor: null, status: 'indeterminate', reason: 'trust_anchor_invalid', at: null, zone: null, chain: [], signaturesExpire: null });
  }
  const result = await validateDomain(domain, { client: options.raw, anchors, now: options.now?.() ?? new Date() });
  return evidence({
    anchor: result.anchor,
    status: result.status,
    reason: result.reason,
    at: result.at,
    zone: result.zone,
    chain: result.chain.slice(0, 40),
    signaturesExpire: result.signaturesExpire,
  });
}
