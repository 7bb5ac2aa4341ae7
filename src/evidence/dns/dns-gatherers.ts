// The DNS and reputation gatherers, as entries for the scan's gatherer list (src/scan/gatherers.ts).
// Zone transfers are an active probe: asking a name server for its whole zone is what an
// attacker's reconnaissance does and what DNS operators log as such, so it runs only for
// verified or attested domains. Everything else asks what any resolver or visitor asks.
import type { Gatherer } from '../../scan/gatherers.ts';
import { gatherDnsblEvidence } from '../reputation/dnsbl.ts';
import { gatherCaaEvidence } from './caa.ts';
import { gatherDanglingCnameEvidence } from './dangling-cname.ts';
import { gatherDnssecEvidence } from './dnssec.ts';
import { gatherNameserversEvidence } from './nameservers.ts';
import { gatherRegistrationEvidence } from './registration.ts';
import { defaultCertificateTransparencyUrl, defaultDnsblZones, defaultRdapBootstrapUrl, rawDnsClientFor } from './scan-dns.ts';
import { gatherZoneTransferEvidence } from './zone-transfer.ts';

const web = (c: Parameters<Gatherer['gather']>[0]) => ({ resolver: c.resolver, allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, extraCa: c.extraCa, signal: c.signal });

export const dnsGatherers: Gatherer[] = [
  { kind: 'dns.dnssec', active: false, gather: (c) => gatherDnssecEvidence(c.domain, { raw: rawDnsClientFor(c), trustAnchors: c.trustAnchors }) },
  { kind: 'dns.caa', active: false, gather: (c) => gatherCaaEvidence(c.domain, { dns: c.dns }) },
  { kind: 'dns.nameservers', active: false, gather: (c) => gatherNameserversEvidence(c.domain, { dns: c.dns }) },
  { kind: 'dns.zone-transfer', active: true, gather: (c) => gatherZoneTransferEvidence(c.domain, { dns: c.dns, allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, signal: c.signal }) },
  {
    kind: 'dns.dangling-cname',
    active: false,
    gather: (c) =>
      gatherDanglingCnameEvidence(c.domain, {
        ...web(c),
        dns: c.dns,
        subdomains: c.dnsSources?.subdomains,
        certificateTransparencyUrl: c.dnsSources?.certificateTransparencyUrl === undefined ? defaultCertificateTransparencyUrl : c.dnsSources.certificateTransparencyUrl,
      }),
  },
  {
    kind: 'dns.registration',
    active: false,
    gather: (c) => gatherRegistrationEvidence(c.domain, { ...web(c), bootstrapUrl: c.dnsSources?.rdapBootstrapUrl === undefined ? defaultRdapBootstrapUrl : c.dnsSources.rdapBootstrapUrl }),
  },
  { kind: 'reputation.dnsbl', active: false, gather: (c) => gatherDnsblEvidence(c.domain, { dns: c.dns, zones: c.dnsSources?.dnsblZones ?? defaultDnsblZones, allowPrivate: c.allowPrivate }) },
];
