// Proof that whoever added a domain controls it: its verification token published as a DNS
// TXT record (at the domain or at _cybermonitor.<domain>). Only a proven (or attested) domain
// gets the active probes that go beyond what any visitor sees.
import { createResolver } from '../net/resolver.ts';

export type OwnershipMethod = 'dns_txt';

export type OwnershipProver = (domain: string, token: string) => Promise<OwnershipMethod | null>;

export function createOwnershipProver(options: { resolver?: string | undefined; timeoutMs?: number }): OwnershipProver {
  const resolver = createResolver(options.resolver, options.timeoutMs ?? 5000);
  return async (domain, token) => {
    const lookups = await Promise.all([resolver.lookupTxt(domain), resolver.lookupTxt(`_cybermonitor.${domain}`)]);
    return lookups.some((lookup) => lookup.records.some((record) => record.trim() === token)) ? 'dns_txt' : null;
  };
}
