// The DNS tools the DNS and reputation gatherers of one scan share: the caching DnsClient for
// ordinary questions and the raw client (exact RDATA, DO+CD) for DNSSEC, created once per scan
// (keyed on the scan's gather context) so that a question asked by two gatherers costs one query.
import { createDnsClient, type DnsClient } from '../../net/dns-client.ts';
import { createRawDnsClient, type RawDnsClient, resolverServers } from '../../net/dnssec/transport.ts';

export interface DnsSourceOptions {
  /** DNSBL zones (RFC 5782) to look the mail-server and website addresses up in. */
  dnsblZones?: string[];
  /** A crt.sh-compatible Certificate Transparency search (`…/?q=%.domain&output=json`); null: off. */
  certificateTransparencyUrl?: string | null;
  /** The RDAP bootstrap file for DNS (RFC 9224, IANA's dns.json); null: off. */
  rdapBootstrapUrl?: string | null;
  /** Subdomains the organisation declared, checked for dangling CNAMEs. */
  subdomains?: string[];
}

export const defaultDnsblZones = ['zen.spamhaus.org', 'bl.spamcop.net', 'psbl.surriel.com'];
export const defaultCertificateTransparencyUrl = 'https://crt.sh/';
export const defaultRdapBootstrapUrl = 'https://data.iana.org/rdap/dns.json';

/** What a DNS gatherer needs from the scan's gather context. */
export interface DnsScanContext {
  domain: string;
  /** `host:port` of the scan's DNS server; the system's resolvers when absent. */
  dnsServer?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface ScanDnsTools {
  dns: DnsClient;
  raw: RawDnsClient;
}

const toolsByScan = new WeakMap<object, ScanDnsTools>();

/** Questions one scan's DNSSEC walk may ask (a chain is a few per label; plenty of room). */
const maxRawQueries = 120;

export function scanDnsTools(context: DnsScanContext, shareKey: object = context): ScanDnsTools {
  let tools = toolsByScan.get(shareKey);
  if (!tools) {
    tools = {
      dns: createDnsClient({ server: context.dnsServer, timeoutMs: context.timeoutMs }),
      raw: createRawDnsClient({ servers: resolverServers(context.dnsServer), timeoutMs: context.timeoutMs, signal: context.signal, maxQueries: maxRawQueries }),
    };
    toolsByScan.set(shareKey, tools);
  }
  return tools;
}
