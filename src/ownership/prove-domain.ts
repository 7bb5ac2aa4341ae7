// Proof that whoever added a domain controls it: its verification token published as a DNS
// TXT record (at the domain or at _cybermonitor.<domain>), or served over HTTPS at
// /.well-known/cybermonitor-verification.txt. Only a proven (or attested) domain gets the
// active probes that go beyond what any visitor sees.
import { fetchChain } from '../net/http-client.ts';
import { createResolver } from '../net/resolver.ts';

export type OwnershipMethod = 'dns_txt' | 'well_known';

export type OwnershipProver = (domain: string, token: string) => Promise<OwnershipMethod | null>;

export const wellKnownPath = '/.well-known/cybermonitor-verification.txt';

export interface ProverOptions {
  resolver?: string | undefined;
  timeoutMs?: number;
  allowPrivate?: boolean;
  /** PEM certificates trusted beyond Node's bundle (tests). */
  extraCa?: string[];
}

export function createOwnershipProver(options: ProverOptions): OwnershipProver {
  const timeoutMs = options.timeoutMs ?? 5000;
  const resolver = createResolver(options.resolver, timeoutMs);
  const viaDns = async (domain: string, token: string) => {
    const lookups = await Promise.all([resolver.lookupTxt(domain), resolver.lookupTxt(`_cybermonitor.${domain}`)]);
    return lookups.some((lookup) => lookup.records.some((record) => record.trim() === token));
  };
  const viaWellKnown = async (domain: string, token: string) => {
    // Only the domain itself counts: a redirect elsewhere proves nothing about this name.
    const result = await fetchChain(`https://${domain}${wellKnownPath}`, {
      resolver,
      allowPrivate: options.allowPrivate ?? false,
      timeoutMs,
      extraCa: options.extraCa ?? [],
      maxRedirects: 0,
      maxBodyBytes: 4096,
    });
    const final = result.final;
    return final?.status === 200 && (final.body ?? '').split(/\r?\n/).some((line) => line.trim() === token);
  };
  return async (domain, token) => {
    if (await viaDns(domain, token)) return 'dns_txt';
    if (await viaWellKnown(domain, token)) return 'well_known';
    return null;
  };
}
