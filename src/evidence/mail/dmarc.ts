// Gather DMARC evidence (RFC 7489 §6.6.3): the record at _dmarc.<domain>, else at the
// organisational domain, parsed; and for report addresses outside the organisation, whether
// they published the authorisation record of §7.1. DNS failures become evidence.
import type { Evidence } from '../../checks/types.ts';
import { type DnsClient, isQueryableName } from '../../net/dns-client.ts';
import { organisationalDomain } from '../../psl/public-suffix-list.ts';
import { type DmarcEvidence, dmarcEvidenceKind, dmarcEvidenceSchema } from './dmarc-evidence.ts';
import { looksLikeDmarc, parseDmarcRecord } from './dmarc-record.ts';
import { unlessAborted } from './unless-aborted.ts';

export interface DmarcGatherOptions {
  dns: Pick<DnsClient, 'txt'>;
  signal?: AbortSignal;
}

const maxExternalDestinations = 10;

type Discovery =
  | { kind: 'found'; source: 'domain' | 'organisational'; recordDomain: string; records: string[] }
  | { kind: 'none' }
  | { kind: 'error'; error: 'dns_timeout' | 'dns_failure' };

async function discover(domain: string, organisation: string, dns: DmarcGatherOptions['dns']): Promise<Discovery> {
  const candidates: Array<{ name: string; source: 'domain' | 'organisational' }> = [{ name: domain, source: 'domain' }];
  if (organisation !== domain) candidates.push({ name: organisation, source: 'organisational' });
  for (const { name, source } of candidates) {
    const txt = await dns.txt(`_dmarc.${name}`);
    if (txt.status === 'error') return { kind: 'error', error: txt.failure === 'timeout' ? 'dns_timeout' : 'dns_failure' };
    const records = txt.status === 'ok' ? txt.records.filter(looksLikeDmarc) : [];
    if (records.length > 0) return { kind: 'found', source, recordDomain: name, records: records.slice(0, 10).map((record) => record.slice(0, 4096)) };
  }
  return { kind: 'none' };
}

async function isAuthorised(name: string, dns: DmarcGatherOptions['dns']): Promise<boolean | null> {
  if (!isQueryableName(name)) return false;
  const txt = await dns.txt(name);
  if (txt.status === 'error') return null;
  return txt.status === 'ok' && txt.records.some((record) => /^v=DMARC1(?:\s*;|\s*$)/i.test(record));
}

async function gather(domain: string, dns: DmarcGatherOptions['dns']): Promise<DmarcEvidence> {
  const organisation = organisationalDomain(domain);
  const empty: DmarcEvidence = {
    domain,
    organisationalDomain: organisation,
    lookupError: null,
    source: null,
    recordDomain: null,
    records: [],
    policy: null,
    errors: [],
    externalDestinations: [],
  };
  const found = await discover(domain, organisation, dns);
  if (found.kind === 'error') return { ...empty, lookupError: found.error };
  if (found.kind === 'none') return empty;
  const located = { ...empty, source: found.source, recordDomain: found.recordDomain, records: found.records };
  if (found.records.length > 1) return located; // RFC 7489 §6.6.3: several records, no policy

  const { errors, ...policy } = parseDmarcRecord(found.records[0] as string);
  const recordOrganisation = organisationalDomain(found.recordDomain);
  const destinations = [
    ...policy.rua.map((uri) => ({ kind: 'rua' as const, ...uri })),
    ...policy.ruf.map((uri) => ({ kind: 'ruf' as const, ...uri })),
  ].filter((uri): uri is typeof uri & { domain: string } => uri.domain !== null && organisationalDomain(uri.domain) !== recordOrganisation);
  const unique = destinations.filter((uri, index) => destinations.findIndex((other) => other.kind === uri.kind && other.domain === uri.domain) === index);
  const externalDestinations = await Promise.all(
    unique.slice(0, maxExternalDestinations).map(async (uri) => {
      const authorisationName = `${found.recordDomain}._report._dmarc.${uri.domain}`;
      return { kind: uri.kind, uri: uri.uri, domain: uri.domain, authorisationName: authorisationName.slice(0, 1024), authorised: await isAuthorised(authorisationName, dns) };
    }),
  );
  return { ...located, policy, errors, externalDestinations };
}

export async function gatherDmarcEvidence(domain: string, options: DmarcGatherOptions): Promise<Evidence<DmarcEvidence>> {
  const gatheredAt = new Date().toISOString();
  const failed = (lookupError: 'dns_timeout' | 'dns_failure'): DmarcEvidence => ({
    domain,
    organisationalDomain: organisationalDomain(domain),
    lookupError,
    source: null,
    recordDomain: null,
    records: [],
    policy: null,
    errors: [],
    externalDestinations: [],
  });
  // A scan never breaks on one domain's DNS: anything unexpected becomes a dns_failure.
  const outcome = await unlessAborted(gather(domain, options.dns), options.signal).catch(() => 'failed' as const);
  const checked = outcome === 'aborted' || outcome === 'failed' ? null : dmarcEvidenceSchema.safeParse(outcome);
  const data = outcome === 'aborted' ? failed('dns_timeout') : checked?.success ? checked.data : failed('dns_failure');
  return { kind: dmarcEvidenceKind, gatheredAt, data };
}
