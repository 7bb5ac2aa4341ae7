// Every piece of evidence a domain scan gathers, one gatherer per evidence kind. A scan runs
// them all concurrently; `active` gatherers (probing paths a normal visitor would not ask for)
// run only for domains whose ownership is verified or attested.
import type { Evidence } from '../checks/types.ts';
import { gatherCertificateEvidence } from '../evidence/tls/certificate.ts';
import { gatherWebHttpEvidence } from '../evidence/http/web-http.ts';
import { gatherCiphersEvidence, gatherProtocolsEvidence } from '../evidence/tls/tls-scan-gatherer.ts';
import { gatherHomePageEvidence } from '../evidence/web-leaks/home-page.ts';
import { gatherSecurityTxtEvidence } from '../evidence/web-leaks/security-txt.ts';
import { gatherSensitiveFilesEvidence } from '../evidence/web-leaks/sensitive-files.ts';
import type { Resolver } from '../net/resolver.ts';
import type { DnsSourceOptions } from './types.ts';
import { dnsGatherers } from '../evidence/dns/dns-gatherers.ts';
import { gatherDmarcEvidence } from '../evidence/mail/dmarc.ts';
import { gatherSpfEvidence } from '../evidence/mail/spf.ts';
import type { DnsClient } from '../net/dns-client.ts';
import { configuredDkimSelectors, gatherDkimEvidence } from '../evidence/mail-servers/dkim.ts';
import { gatherMtaStsEvidence } from '../evidence/mail-servers/mta-sts.ts';
import { dnssecSecureFor } from '../evidence/mail-servers/dnssec-for-dane.ts';
import { gatherMxEvidence } from '../evidence/mail-servers/mx.ts';
import { gatherTlsRptEvidence } from '../evidence/mail-servers/tls-rpt.ts';
import { gatherExposureEvidence } from '../evidence/exposure/exposure.ts';
import { gatherLookalikeEvidence } from '../evidence/lookalikes/lookalikes.ts';

export interface GatherContext {
  /** The canonical domain name being scanned. */
  domain: string;
  resolver: Resolver;
  /** The scan's one caching DNS client, for records beyond addresses (TXT, MX, PTR, …). */
  dns: DnsClient;
  allowPrivate: boolean;
  /** Upper bound for each network step. */
  timeoutMs: number;
  /** PEM certificates trusted beyond Node's bundle and NODE_EXTRA_CA_CERTS. */
  extraCa: string[];
  /** The owner verified the domain or consented: active probes are allowed. */
  activeProbes: boolean;
  /** Aborted when the scan as a whole runs out of time. */
  signal: AbortSignal;
  /** `host:port` of the scan's DNS server (ScanOptions.resolver); the system's when absent. */
  dnsServer?: string;
  /** DNSSEC trust anchors (zone-file DS/DNSKEY records); the IANA root anchors when absent. */
  trustAnchors?: string;
  /** Outside sources for the DNS and reputation checks (DNSBL zones, CT, RDAP, declared subdomains). */
  dnsSources?: DnsSourceOptions;
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
  // Home page and security.txt: what any visitor sees. The home-page gatherer asks for a CMS
  // version file only when c.activeProbes allows it.
  // All three share one home-page fetch per scan (shareKey), so a dead site costs one timeout.
  { kind: 'web.leaks.home-page', active: false, gather: (c) => gatherHomePageEvidence(c.domain, { ...c, shareKey: c }) },
  { kind: 'web.leaks.security-txt', active: false, gather: (c) => gatherSecurityTxtEvidence(c.domain, { ...c, shareKey: c }) },
  { kind: 'web.leaks.sensitive-files', active: true, gather: (c) => gatherSensitiveFilesEvidence(c.domain, { ...c, shareKey: c }) },
  // http:// and https:// home pages, robots.txt and a CORS preflight: what the MDN Observatory fetches.
  { kind: 'web.http', active: false, gather: (c) => gatherWebHttpEvidence(c.domain, { ...c, shareKey: c }) },
  { kind: 'mail.spf', active: false, gather: (c) => gatherSpfEvidence(c.domain, { dns: c.dns, signal: c.signal }) },
  { kind: 'mail.dmarc', active: false, gather: (c) => gatherDmarcEvidence(c.domain, { dns: c.dns, signal: c.signal }) },
  // Mail servers: what any sending MTA sees (MX, SMTP greeting, STARTTLS, TLS, TLSA) plus DKIM, MTA-STS, TLS-RPT.
  {
    kind: 'mail.mx',
    active: false,
    gather: (c) =>
      gatherMxEvidence(c.domain, { dns: c.dns, allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, extraCa: c.extraCa, signal: c.signal, dnssecSecure: dnssecSecureFor(c) }),
  },
  { kind: 'mail.dkim', active: false, gather: (c) => gatherDkimEvidence(c.domain, { dns: c.dns, extraSelectors: configuredDkimSelectors() }) },
  { kind: 'mail.mta-sts', active: false, gather: (c) => gatherMtaStsEvidence(c.domain, { dns: c.dns, resolver: c.resolver, allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, extraCa: c.extraCa, signal: c.signal }) },
  { kind: 'mail.tls-rpt', active: false, gather: (c) => gatherTlsRptEvidence(c.domain, { dns: c.dns }) },
  // Port scan of the domain's own addresses: only for verified or attested domains.
  { kind: 'network.exposure', active: true, gather: (c) => gatherExposureEvidence(c.domain, c) },
  // Typo and homoglyph lookalikes of the domain that exist in DNS: only DNS questions, passive.
  { kind: 'people.lookalikes', active: false, gather: (c) => gatherLookalikeEvidence(c.domain, { dns: c.dns, signal: c.signal }) },
  // DNS (DNSSEC, CAA, name servers, zone transfer, dangling aliases, registration) and DNSBL reputation.
  ...dnsGatherers,
];
