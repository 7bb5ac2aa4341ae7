import type { CheckResult, Evidence } from '../checks/types.ts';
import type { DnsClientStats } from '../net/dns-client.ts';

/** Everything one scan of one domain produced: what was gathered and how it was judged. */
export interface DomainScan {
  target: string;
  startedAt: string;
  durationMs: number;
  evidence: Evidence[];
  results: CheckResult[];
  /** What the scan's own I/O cost (benchmarks, logs); absent in scans recorded before it existed. */
  stats?: ScanStats;
}

export interface ScanStats {
  /** The scan's one caching DNS client: questions asked, answered from its cache, packets sent. */
  dns: DnsClientStats;
}

/** Hooks that observe a scan without changing it (benchmarks: attribute I/O and time to a gatherer). */
export interface ScanInstrumentation {
  /** Runs one gatherer; must call `gather` once and return its promise's outcome. */
  gatherer?: <T>(kind: string, gather: () => Promise<T>) => Promise<T>;
}

export interface ScanOptions {
  /** `host:port` of the DNS server to ask; the system resolver when absent. */
  resolver?: string;
  /** Allow loopback/private/reserved targets (tests, demo). Refused by default. */
  allowPrivate: boolean;
  /** Upper bound for each network step (connect, handshake, read). */
  timeoutMs?: number;
  /** PEM certificates trusted in addition to Node's bundle and NODE_EXTRA_CA_CERTS (tests). */
  extraCa?: string[];
  /**
   * Probes beyond what any visitor sees (sensitive paths, port scans). Only for domains whose
   * ownership is verified, or attested by the operator or a recorded consent.
   */
  activeProbes?: boolean;
  /** Gather only evidence whose kind starts with one of these prefixes (`web.`, `tls.`); all when absent. */
  only?: string[];
  /** DNSSEC trust anchors: DS or DNSKEY records in zone-file format; the IANA root anchors when absent. */
  trustAnchors?: string;
  /** Outside sources the DNS and reputation checks consult; the public defaults when absent. */
  dnsSources?: DnsSourceOptions;
  /** Observers of the scan's I/O (benchmarks); none in production. */
  instrument?: ScanInstrumentation;
}

export interface DnsSourceOptions {
  /** DNSBL zones (RFC 5782) for the mail-server and website addresses. */
  dnsblZones?: string[];
  /** A crt.sh-compatible Certificate Transparency search (`…/?q=%.domain&output=json`); null: off. */
  certificateTransparencyUrl?: string | null;
  /** The RDAP bootstrap file for DNS (RFC 9224, IANA's dns.json); null: off. */
  rdapBootstrapUrl?: string | null;
  /** Subdomains the organisation declared, checked for dangling CNAMEs. */
  subdomains?: string[];
}

export type DomainScanner = (domain: string, options: ScanOptions) => Promise<DomainScan>;
