// DNSSEC validation of a domain from a trust anchor down (RFC 4033-4035, 5155, 6840): fetch
// and verify the anchor zone's DNSKEY set, then walk one label at a time towards the domain,
// asking the (non-validating, CD) resolver for DS records. A signed DS leads to the child's
// DNSKEY set, which must contain a key matching it and be signed by that key; a signed denial
// of DS at a delegation ends the chain (insecure); anything that does not verify is bogus.
// Finally the domain's zone proves it signs its data by a verified SOA. The walk is the
// product's own logic; node:crypto verifies the signatures (signatures.ts).
import { judgeDsDenial } from './denial.ts';
import { isAtOrBelow, labelCount, namesBetween, normaliseName } from './names.ts';
import { decodeDnskey, decodeDs, type Dnskey, type Ds } from './rdata.ts';
import { dsMatchesKey, isRevoked, isZoneKey, keyTag, signaturesFor, type SignatureCheck, type SignatureProblem, supportedAlgorithms, supportedDigests, verifyRrset } from './signatures.ts';
import type { ExchangeFailure, ExchangeOutcome, RawDnsClient } from './transport.ts';
import type { TrustAnchor } from './trust-anchor.ts';
import { Rcode, RecordType, type WireMessage, type WireRecord } from './wire.ts';

export type DnssecStatus = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

export type DnssecReason =
  | SignatureProblem
  | 'no_signatures'
  | 'dnskey_missing'
  | 'ds_mismatch'
  | 'anchor_mismatch'
  | 'denial_missing'
  | 'denial_invalid'
  | 'nsec3_iterations'
  | 'nsec3_algorithm'
  | 'unsigned_delegation'
  | 'algorithms_unsupported'
  | 'no_trust_anchor'
  | 'resolver_without_dnssec'
  | 'nxdomain'
  | 'dns_servfail'
  | 'dns_refused'
  | 'dns_rcode'
  | `dns_${ExchangeFailure}`;

export interface ChainStep {
  zone: string;
  /** How this zone was reached: the anchor, a signed DS, or where the chain stopped. */
  via: 'anchor' | 'ds' | 'unsigned_delegation' | 'failed';
  keyTags: number[];
  algorithms: number[];
  dsKeyTags: number[];
}

export interface DnssecValidation {
  status: DnssecStatus;
  reason: DnssecReason | null;
  /** Where the problem or the end of the chain is (a zone or name), when it is somewhere. */
  at: string | null;
  anchor: string | null;
  /** The zone the domain lives in, when the walk got that far. */
  zone: string | null;
  chain: ChainStep[];
  /** Earliest expiry among the verified signatures of the domain's own zone. */
  signaturesExpire: string | null;
}

export interface ValidateOptions {
  client: RawDnsClient;
  anchors: TrustAnchor[];
  now: Date;
}

class Stop extends Error {
  readonly result: Omit<DnssecValidation, 'anchor' | 'chain'>;
  constructor(status: DnssecStatus, reason: DnssecReason, at: string | null, zone: string | null = null) {
    super(reason);
    this.result = { status, reason, at, zone, signaturesExpire: null };
  }
}

function requireAnswer(outcome: ExchangeOutcome, at: string): WireMessage {
  if (!outcome.ok) throw new Stop('indeterminate', `dns_${outcome.failure}`, at);
  const { rcode } = outcome.message;
  if (rcode === Rcode.SERVFAIL) throw new Stop('indeterminate', 'dns_servfail', at);
  if (rcode === Rcode.REFUSED) throw new Stop('indeterminate', 'dns_refused', at);
  if (rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) throw new Stop('indeterminate', 'dns_rcode', at);
  return outcome.message;
}

const recordsOf = (records: WireRecord[], owner: string, type: number) => records.filter((record) => record.name === owner && record.type === type);

/** The most telling problem among failed signatures (an expired signature says more than a missing key). */
function worstProblem(checks: SignatureCheck[]): SignatureProblem {
  const order: SignatureProblem[] = ['signature_expired', 'signature_not_yet_valid', 'signature_invalid', 'key_unusable', 'no_matching_key', 'signer_mismatch', 'labels_invalid', 'algorithm_unsupported'];
  return order.find((problem) => checks.some((check) => check.problem === problem)) ?? 'signature_invalid';
}

/** Verify an RRset with any of its signatures; returns the verified check or throws bogus. */
function verifySet(rrset: WireRecord[], pool: WireRecord[], keys: Dnskey[], zone: string, now: Date): SignatureCheck {
  const first = rrset[0] as WireRecord;
  const signatures = signaturesFor(pool, first.name, first.type);
  if (signatures.length === 0) throw new Stop('bogus', 'no_signatures', first.name);
  const checks = signatures.map((signature) => verifyRrset(rrset, signature, keys, zone, now));
  const valid = checks.find((check) => check.ok);
  if (valid) return valid;
  throw new Stop('bogus', worstProblem(checks), first.name);
}

interface ZoneKeys {
  keys: Dnskey[];
  expires: string;
}

/** The DNSKEY set of `zone`, trusted through DS records from the parent or a configured anchor. */
async function trustedKeys(zone: string, trust: { ds: Ds[]; keys: Dnskey[] }, isAnchor: boolean, options: ValidateOptions): Promise<ZoneKeys> {
  const message = requireAnswer(await options.client.query(zone, RecordType.DNSKEY, { dnssec: true }), zone);
  const records = recordsOf(message.answers, zone, RecordType.DNSKEY);
  const keys: Dnskey[] = [];
  for (const record of records) {
    try {
      keys.push(decodeDnskey(record.rdata));
    } catch {
      // a malformed key cannot be trusted; the rest may still be
    }
  }
  // At the anchor, no keys or no signatures mostly means the resolver strips DNSSEC data.
  if (keys.length === 0) throw new Stop(isAnchor ? 'indeterminate' : 'bogus', isAnchor ? 'resolver_without_dnssec' : 'dnskey_missing', zone);
  if (isAnchor && signaturesFor(message.answers, zone, RecordType.DNSKEY).length === 0) throw new Stop('indeterminate', 'resolver_without_dnssec', zone);

  const entryKeys = keys.filter((key) => {
    if (!isZoneKey(key) || isRevoked(key) || !supportedAlgorithms.has(key.algorithm)) return false;
    const rdata = Buffer.concat([Buffer.from([key.flags >> 8, key.flags & 0xff, key.protocol, key.algorithm]), key.publicKey]);
    const pinned = trust.keys.some((anchorKey) => Buffer.concat([Buffer.from([anchorKey.flags >> 8, anchorKey.flags & 0xff, anchorKey.protocol, anchorKey.algorithm]), anchorKey.publicKey]).equals(rdata));
    return pinned || trust.ds.some((ds) => dsMatchesKey(zone, ds, key));
  });
  if (entryKeys.length === 0) throw new Stop('bogus', isAnchor ? 'anchor_mismatch' : 'ds_mismatch', zone);
  const verified = verifySet(records, message.answers, entryKeys, zone, options.now);
  return { keys: keys.filter((key) => isZoneKey(key) && !isRevoked(key)), expires: verified.expires };
}

/** The deepest anchor at or above the domain. */
function anchorFor(domain: string, anchors: TrustAnchor[]): TrustAnchor | undefined {
  return anchors
    .filter((anchor) => isAtOrBelow(domain, anchor.owner))
    .sort((a, b) => labelCount(b.owner) - labelCount(a.owner))[0];
}

const step = (zone: string, via: ChainStep['via'], keys: Dnskey[], ds: Ds[]): ChainStep => ({
  zone,
  via,
  keyTags: [...new Set(keys.map(keyTag))].slice(0, 16),
  algorithms: [...new Set(keys.map((key) => key.algorithm))].slice(0, 8),
  dsKeyTags: [...new Set(ds.map((record) => record.keyTag))].slice(0, 16),
});

const usableDs = (ds: Ds[]) => ds.filter((record) => supportedAlgorithms.has(record.algorithm) && supportedDigests.has(record.digestType));

export async function validateDomain(rawDomain: string, options: ValidateOptions): Promise<DnssecValidation> {
  const domain = normaliseName(rawDomain);
  const anchor = anchorFor(domain, options.anchors);
  const chain: ChainStep[] = [];
  if (!anchor) return { status: 'indeterminate', reason: 'no_trust_anchor', at: domain, anchor: null, zone: null, chain, signaturesExpire: null };
  try {
    let zone = anchor.owner;
    let zoneKeys = await trustedKeys(zone, anchor, true, options);
    let earliest = zoneKeys.expires;
    chain.push(step(zone, 'anchor', zoneKeys.keys, anchor.ds));

    for (const name of namesBetween(zone, domain)) {
      const message = requireAnswer(await options.client.query(name, RecordType.DS, { dnssec: true }), name);
      const dsRecords = recordsOf(message.answers, name, RecordType.DS);
      if (dsRecords.length > 0) {
        verifySet(dsRecords, message.answers, zoneKeys.keys, zone, options.now);
        const ds = dsRecords.flatMap((record) => {
          try {
            return [decodeDs(record.rdata)];
          } catch {
            return [];
          }
        });
        const usable = usableDs(ds);
        if (usable.length === 0) {
          // Only algorithms or digests we cannot check: treated as unsigned (RFC 4035 5.2).
          chain.push(step(name, 'unsigned_delegation', [], ds));
          return { status: 'insecure', reason: 'algorithms_unsupported', at: name, anchor: anchor.owner, zone: null, chain, signaturesExpire: null };
        }
        try {
          zoneKeys = await trustedKeys(name, { ds: usable, keys: [] }, false, options);
        } catch (error) {
          if (error instanceof Stop) chain.push(step(name, 'failed', [], ds));
          throw error;
        }
        zone = name;
        earliest = zoneKeys.expires;
        chain.push(step(zone, 'ds', zoneKeys.keys, ds));
        continue;
      }
      if (recordsOf(message.answers, name, RecordType.CNAME).length > 0) break; // an alias: no zone below it
      if (message.rcode === Rcode.NXDOMAIN) throw new Stop('indeterminate', 'nxdomain', name, zone);

      // NODATA: the parent must prove there is no DS, with NSEC or NSEC3 records it signed.
      const denialRecords = message.authorities.filter((record) => record.type === RecordType.NSEC || record.type === RecordType.NSEC3);
      if (denialRecords.length === 0) throw new Stop('bogus', 'denial_missing', name, zone);
      const verified: WireRecord[] = [];
      for (const record of denialRecords) {
        verifySet([record], message.authorities, zoneKeys.keys, zone, options.now);
        verified.push(record);
      }
      const denial = judgeDsDenial(name, zone, verified);
      if (denial.kind === 'insecure_delegation') {
        chain.push(step(name, 'unsigned_delegation', [], []));
        return { status: 'insecure', reason: 'unsigned_delegation', at: name, anchor: anchor.owner, zone: name, chain, signaturesExpire: null };
      }
      if (denial.kind === 'unusable') return { status: 'insecure', reason: denial.reason, at: name, anchor: anchor.owner, zone, chain, signaturesExpire: null };
      if (denial.kind === 'invalid') throw new Stop('bogus', denial.reason, name, zone);
    }

    // The domain's own zone must sign its data: its SOA verifies with the trusted keys.
    const soaMessage = requireAnswer(await options.client.query(zone, RecordType.SOA, { dnssec: true }), zone);
    const soa = recordsOf(soaMessage.answers, zone, RecordType.SOA);
    if (soa.length === 0) throw new Stop('bogus', 'no_signatures', zone, zone);
    const soaCheck = verifySet(soa, soaMessage.answers, zoneKeys.keys, zone, options.now);
    if (soaCheck.expires < earliest) earliest = soaCheck.expires;
    return { status: 'secure', reason: null, at: null, anchor: anchor.owner, zone, chain, signaturesExpire: earliest };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...error.result, anchor: anchor.owner, chain };
  }
}
