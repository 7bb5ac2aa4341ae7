// What the DNS and reputation gatherers of one scan share: the raw DNS client (exact RDATA,
// DO+CD) for DNSSEC, created once per scan (keyed on the scan's gather context) so that the
// DNSSEC walk and anything else asking raw questions share one cache and one query budget, and
// the defaults for the outside sources. Ordinary questions go through the scan's DnsClient.
import { createRawDnsClient, type RawDnsClient, resolverServers } from '../../net/dnssec/transport.ts';

export const defaultDnsblZones = ['zen.spamhaus.org', 'bl.spamcop.net', 'psbl.surriel.com'];
export const defaultCertificateTransparencyUrl = 'https://crt.sh/';
export const defaultRdapBootstrapUrl = 'https://data.iana.org/rdap/dns.json';

export interface RawDnsContext {
  /** `host:port` of the scan's DNS server; the system's resolvers when absent. */
  dnsServer?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const rawByScan = new WeakMap<object, RawDnsClient>();

/** Questions one scan's DNSSEC walk may ask (a few per label of the domain; plenty of room). */
const maxRawQueries = 120;

export function rawDnsClientFor(context: RawDnsContext, shareKey: object = context): RawDnsClient {
  let client = rawByScan.get(shareKey);
  if (!client) {
    client = createRawDnsClient({ servers: resolverServers(context.dnsServer), timeoutMs: context.timeoutMs, signal: context.signal, maxQueries: maxRawQueries });
    rawByScan.set(shareKey, client);
  }
  return client;
}
