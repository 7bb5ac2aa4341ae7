// Every piece of evidence a domain scan gathers, one gatherer per evidence kind. A scan runs
// them all concurrently; `active` gatherers (probing paths a normal visitor would not ask for)
// run only for domains whose ownership is verified or attested.
import type { Evidence } from '../checks/types.ts';
import { gatherCertificateEvidence } from '../evidence/tls/certificate.ts';
import { gatherCiphersEvidence, gatherProtocolsEvidence } from '../evidence/tls/tls-scan-gatherer.ts';
import type { Resolver } from '../net/resolver.ts';

export interface GatherContext {
  /** The canonical domain name being scanned. */
  domain: string;
  resolver: Resolver;
  allowPrivate: boolean;
  /** Upper bound for each network step. */
  timeoutMs: number;
  /** PEM certificates trusted beyond Node's bundle and NODE_EXTRA_CA_CERTS. */
  extraCa: string[];
  /** The owner verified the domain or consented: active probes are allowed. */
  activeProbes: boolean;
  /** Aborted when the scan as a whole runs out of time. */
  signal: AbortSignal;
}

export interface Gatherer {
  kind: string;
  /** True for probes that go beyond what any visitor sees (sensitive paths, port scans). */
  active: boolean;
  gather(context: GatherContext): Promise<Evidence>;
}

export const gatherers: Gatherer[] = [
  {
    kind: 'tls.certificate',
    active: false,
    gather: (c) => gatherCertificateEvidence(c.domain, { resolver: c.resolver, allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, extraCa: c.extraCa }),
  },
  // Protocol versions and cipher suites: one scan of the HTTPS port, shared by both kinds.
  { kind: 'tls.protocols', active: false, gather: (c) => gatherProtocolsEvidence(c.domain, { ...c, shareKey: c }) },
  { kind: 'tls.ciphers', active: false, gather: (c) => gatherCiphersEvidence(c.domain, { ...c, shareKey: c }) },
];
