// One scan of one domain: gather every piece of evidence (bounded I/O, the gatherers in
// src/scan/gatherers.ts), then judge it with the registry (pure).
import { judgeAll } from '../checks/registry.ts';
import type { Evidence } from '../checks/types.ts';
import { parseDomainName } from '../net/domain-name.ts';
import { createResolver } from '../net/resolver.ts';
import { createDnsClient } from '../net/dns-client.ts';
import { gatherers, type GatherContext } from './gatherers.ts';
import type { DomainScan, DomainScanner, ScanOptions, ScanStats } from './types.ts';

export const defaultTimeoutMs = 5000;

export type DomainScanOptions = ScanOptions;

/** A whole scan may take this many network-step timeouts before it is cut off. */
const scanBudgetSteps = 12;

async function gatherAll(domain: string, options: DomainScanOptions): Promise<{ evidence: Evidence[]; stats: ScanStats }> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const instrument = options.instrument ?? {};
  const dns = createDnsClient({ server: options.resolver, timeoutMs });
  const context: GatherContext = {
    domain,
    resolver: createResolver(options.resolver, timeoutMs),
    dns,
    allowPrivate: options.allowPrivate,
    timeoutMs,
    extraCa: options.extraCa ?? [],
    activeProbes: options.activeProbes ?? false,
    signal: AbortSignal.timeout(timeoutMs * scanBudgetSteps),
    dnsServer: options.resolver,
    trustAnchors: options.trustAnchors,
    dnsSources: options.dnsSources,
  };
  const wanted = (kind: string) => !options.only || options.only.some((prefix) => kind === prefix || kind.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`));
  const selected = gatherers.filter((gatherer) => (context.activeProbes || !gatherer.active) && wanted(gatherer.kind));
  // A gatherer should never throw; if one does anyway, the scan goes on and that evidence is
  // marked failed, which the registry turns into `error` results for its checks.
  const run = instrument.gatherer ?? (<T>(_kind: string, gather: () => Promise<T>) => gather());
  const evidence = await Promise.all(
    selected.map((gatherer) =>
      run(gatherer.kind, () => gatherer.gather(context)).catch(
        (error: unknown): Evidence => ({
          kind: gatherer.kind,
          gatheredAt: new Date().toISOString(),
          data: { gathererFailed: true, reason: error instanceof Error ? error.name : 'unknown' },
        }),
      ),
    ),
  );
  return { evidence, stats: { dns: dns.stats() } };
}

/**
 * Scan a domain. Throws a validation AppError for a name that is not a scannable domain
 * (reserved names pass only with allowPrivate); every network failure is a result instead.
 */
export const scanDomain = (async (rawDomain: string, options: DomainScanOptions): Promise<DomainScan> => {
  const target = parseDomainName(rawDomain, { allowReservedNames: options.allowPrivate });
  const started = new Date();
  const { evidence, stats } = await gatherAll(target, options);
  const finished = new Date();
  return {
    target,
    startedAt: started.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    evidence,
    results: judgeAll(evidence, finished),
    stats,
  };
}) satisfies DomainScanner;
