// Gather SPF evidence for a domain: its SPF record(s), and check_host() run for an address no
// honest policy authorises, which walks the policy as a receiver does for a stranger and so
// yields the facts a report needs (lookups used, void lookups, errors, the closing `all`,
// the ranges it allows). Every DNS failure becomes evidence, never an exception.
import type { Evidence } from '../../checks/types.ts';
import { checkHost, type SpfDns, type SpfEvaluation } from '../../mail/spf/check-host.ts';
import { parseSpfRecord, type SpfRecord, isSpfRecord } from '../../mail/spf/record.ts';
import { organisationalDomain } from '../../psl/public-suffix-list.ts';
import { unlessAborted } from './unless-aborted.ts';
import {
  broadIpv4Prefix,
  broadIpv6Prefix,
  mailProviders,
  type SpfEvidence,
  spfEvidenceKind,
  spfEvidenceSchema,
  spfProbeAddress,
} from './spf-evidence.ts';

export interface SpfGatherOptions {
  dns: SpfDns;
  /** Aborted when the scan runs out of time: the evidence then says dns_timeout. */
  signal?: AbortSignal;
}

const providerIncludes: Record<(typeof mailProviders)[number], string[]> = {
  microsoft365: ['spf.protection.outlook.com'],
  google_workspace: ['_spf.google.com'],
};

function tryParse(record: string): SpfRecord | null {
  try {
    return parseSpfRecord(record);
  } catch {
    return null;
  }
}

/** The qualifier of the `all` that closes the policy: the first record's, or its redirect's. */
function closingAll(seen: SpfEvaluation['records']): SpfEvidence['allQualifier'] {
  for (const entry of seen.filter((record) => record.depth === 0)) {
    const parsed = tryParse(entry.record);
    if (!parsed) return null;
    const all = parsed.directives.find((directive) => directive.mechanism.kind === 'all');
    if (all) return all.qualifier;
    if (!parsed.redirect) return null;
  }
  return null;
}

type SeenRecord = NonNullable<SpfEvidence['evaluation']>['records'][number];

function broadRanges(seen: SeenRecord[]): SpfEvidence['broadRanges'] {
  const ranges: SpfEvidence['broadRanges'] = [];
  for (const entry of seen.filter((record) => record.ownOrganisation)) {
    for (const directive of tryParse(entry.record)?.directives ?? []) {
      if (directive.qualifier !== '+') continue; // only what the policy allows matters
      const mechanism = directive.mechanism;
      const add = (family: 4 | 6, prefixLength: number) => {
        if (ranges.length < 50) ranges.push({ domain: entry.domain, term: directive.text.slice(0, 200), family, prefixLength });
      };
      if (mechanism.kind === 'ip4' && mechanism.prefix <= broadIpv4Prefix) add(4, mechanism.prefix);
      if (mechanism.kind === 'ip6' && mechanism.prefix <= broadIpv6Prefix) add(6, mechanism.prefix);
      if (mechanism.kind === 'a' || mechanism.kind === 'mx') {
        if (mechanism.ip4Prefix <= broadIpv4Prefix) add(4, mechanism.ip4Prefix);
        else if (mechanism.ip6Prefix <= broadIpv6Prefix) add(6, mechanism.ip6Prefix);
      }
    }
  }
  return ranges;
}

async function gather(domain: string, dns: SpfDns): Promise<SpfEvidence> {
  const empty: SpfEvidence = { domain, lookupError: null, records: [], evaluation: null, allQualifier: null, broadRanges: [], includes: [], providers: [] };
  const txt = await dns.txt(domain);
  if (txt.status === 'error') return { ...empty, lookupError: txt.failure === 'timeout' ? 'dns_timeout' : 'dns_failure' };
  const records = txt.status === 'ok' ? txt.records.filter(isSpfRecord).slice(0, 20).map((record) => record.slice(0, 4096)) : [];
  if (records.length === 0) return empty;

  const evaluation = await checkHost({ ip: spfProbeAddress, sender: `postmaster@${domain}`, helo: domain }, { dns });
  const organisation = organisationalDomain(domain);
  const seen = evaluation.records.map((record) => ({ ...record, ownOrganisation: organisationalDomain(record.domain) === organisation }));
  const includes = [...new Set(seen.filter((record) => record.via !== 'initial').map((record) => record.domain))].slice(0, 50);
  const providers = mailProviders.filter((provider) => providerIncludes[provider].some((name) => includes.includes(name)));
  return {
    ...empty,
    records,
    evaluation: {
      probeAddress: spfProbeAddress,
      result: evaluation.result,
      problem: evaluation.problem,
      matched: evaluation.matched,
      dnsLookups: evaluation.dnsLookups,
      voidLookups: evaluation.voidLookups,
      records: seen,
    },
    allQualifier: closingAll(evaluation.records),
    broadRanges: broadRanges(seen),
    includes,
    providers,
  };
}

export async function gatherSpfEvidence(domain: string, options: SpfGatherOptions): Promise<Evidence<SpfEvidence>> {
  const gatheredAt = new Date().toISOString();
  const failed = (lookupError: 'dns_timeout' | 'dns_failure'): SpfEvidence => ({
    domain,
    lookupError,
    records: [],
    evaluation: null,
    allQualifier: null,
    broadRanges: [],
    includes: [],
    providers: [],
  });
  // A scan never breaks on one domain's DNS: anything unexpected becomes a dns_failure.
  const outcome = await unlessAborted(gather(domain, options.dns), options.signal).catch(() => 'failed' as const);
  const checked = outcome === 'aborted' || outcome === 'failed' ? null : spfEvidenceSchema.safeParse(outcome);
  const data = outcome === 'aborted' ? failed('dns_timeout') : checked?.success ? checked.data : failed('dns_failure');
  return { kind: spfEvidenceKind, gatheredAt, data };
}
