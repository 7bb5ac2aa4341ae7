// DANE counts only in a zone that validates: this asks the scan's DNSSEC validator (the same
// raw client and trust anchors as dns.dnssec) whether the zone holding a name is secure.
import { rawDnsClientFor, type RawDnsContext } from '../dns/scan-dns.ts';
import { parseTrustAnchors, rootTrustAnchors } from '../../net/dnssec/trust-anchor.ts';
import { validateDomain } from '../../net/dnssec/validator.ts';

export function dnssecSecureFor(context: RawDnsContext & { trustAnchors?: string | undefined }): (name: string) => Promise<boolean | null> {
  const verdicts = new Map<string, Promise<boolean | null>>();
  return (name) => {
    let verdict = verdicts.get(name);
    if (!verdict) {
      verdict = (async () => {
        try {
          const anchors = context.trustAnchors === undefined ? rootTrustAnchors() : parseTrustAnchors(context.trustAnchors);
          const result = await validateDomain(name, { client: rawDnsClientFor(context), anchors, now: new Date() });
          return result.status === 'secure' ? true : result.status === 'insecure' || result.status === 'bogus' ? false : null;
        } catch {
          return null;
        }
      })();
      verdicts.set(name, verdict);
    }
    return verdict;
  };
}
