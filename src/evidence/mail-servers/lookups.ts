// DNS questions the mail-server gatherers share, asked through the scan's caching DnsClient
// (so the MX set asked by four gatherers costs one query).
import type { DnsClient, DnsLookup } from '../../net/dns-client.ts';
import { type DnsOutcome, maxTxtLength, maxTxtRecords, type TxtLookupFacts } from './dns-facts.ts';

/** The DNS questions the mail-server gatherers ask. */
export type MailDns = Pick<DnsClient, 'txt' | 'mx' | 'a' | 'aaaa' | 'query'>;

export function outcomeOf(lookup: DnsLookup<unknown>): DnsOutcome {
  return { status: lookup.status, failure: lookup.status === 'error' ? lookup.failure.slice(0, 64) : null };
}

export async function txtFacts(dns: MailDns, name: string): Promise<TxtLookupFacts> {
  const lookup = await dns.txt(name);
  return {
    ...outcomeOf(lookup),
    txt: lookup.status === 'ok' ? lookup.records.slice(0, maxTxtRecords).map((record) => record.slice(0, maxTxtLength)) : [],
  };
}

export interface MxFacts {
  lookup: DnsOutcome;
  /** RFC 7505 null MX: the domain accepts no mail. */
  nullMx: boolean;
  /** MX records by preference (ties in DNS order). */
  records: Array<{ preference: number; exchange: string }>;
  /** Distinct exchange names by preference, null MX excluded. */
  hosts: string[];
}

export async function mxFacts(dns: MailDns, domain: string): Promise<MxFacts> {
  const lookup = await dns.mx(domain);
  const records = lookup.status === 'ok' ? [...lookup.records].sort((a, b) => a.preference - b.preference).slice(0, 50) : [];
  const nullMx = records.length === 1 && records[0]?.exchange === '';
  const hosts = [...new Set(records.map((record) => record.exchange).filter((exchange) => exchange !== ''))];
  return { lookup: outcomeOf(lookup), nullMx, records, hosts };
}
