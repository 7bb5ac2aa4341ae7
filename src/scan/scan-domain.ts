// One scan of one domain: gather every piece of evidence (bounded I/O), then judge it with the
// registry (pure). The vertical slice has one gatherer; new ones join the list in gatherAll.
import { judgeAll } from '../checks/registry.ts';
import type { Evidence } from '../checks/types.ts';
import { gatherCertificateEvidence } from '../evidence/tls/certificate.ts';
import { parseDomainName } from '../net/domain-name.ts';
import { createResolver } from '../net/resolver.ts';
import type { DomainScan, DomainScanner, ScanOptions } from './types.ts';

export const defaultTimeoutMs = 5000;

export interface DomainScanOptions extends ScanOptions {
  /** Extra trusted CA certificates (PEM) beyond Node's defaults and NODE_EXTRA_CA_CERTS. */
  extraCa?: string[];
}

async function gatherAll(domain: string, options: DomainScanOptions): Promise<Evidence[]> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const resolver = createResolver(options.resolver, timeoutMs);
  return Promise.all([
    gatherCertificateEvidence(domain, { resolver, allowPrivate: options.allowPrivate, timeoutMs, extraCa: options.extraCa }),
  ]);
}

/**
 * Scan a domain. Throws a validation AppError for a name that is not a scannable domain
 * (reserved names pass only with allowPrivate); every network failure is a result instead.
 */
export const scanDomain = (async (rawDomain: string, options: DomainScanOptions): Promise<DomainScan> => {
  const target = parseDomainName(rawDomain, { allowReservedNames: options.allowPrivate });
  const started = new Date();
  const evidence = await gatherAll(target, options);
  const finished = new Date();
  return {
    target,
    startedAt: started.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    evidence,
    results: judgeAll(evidence, finished),
  };
}) satisfies DomainScanner;
