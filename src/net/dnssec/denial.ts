// Authenticated denial of existence for DS (RFC 4035 5.4, RFC 5155 8): given the NSEC or NSEC3
// records a signed parent returned for "DS at this name?", tell whether the name is an
// unsigned delegation (the chain of trust ends: insecure), an ordinary name or empty
// non-terminal inside the parent (no zone cut here: keep walking), or whether the proof does
// not hold up (bogus). The records handed in must already have verified signatures.
import { createHash } from 'node:crypto';
import { canonicalWireName, compareNames, isAtOrBelow, labelsOf, nameFromLabels, namesBetween, parentName } from './names.ts';
import { decodeNsec, decodeNsec3, type Nsec3 } from './rdata.ts';
import { RecordType, type WireRecord } from './wire.ts';

export type DsDenial =
  | { kind: 'insecure_delegation'; proof: 'nsec' | 'nsec3' | 'nsec3_opt_out' }
  | { kind: 'no_zone_cut'; proof: 'nsec' | 'nsec3' }
  | { kind: 'unusable'; reason: 'nsec3_iterations' | 'nsec3_algorithm' }
  | { kind: 'invalid'; reason: 'denial_missing' | 'denial_invalid' };

/** RFC 9276: validators may treat NSEC3 with more iterations as insecure; we do above this. */
export const maxNsec3Iterations = 150;

const base32hexAlphabet = '0123456789abcdefghijklmnopqrstuv';

export function base32hex(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += base32hexAlphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += base32hexAlphabet[(value << (5 - bits)) & 31];
  return text;
}

export function nsec3Hash(name: string, salt: Buffer, iterations: number): Buffer {
  let digest = createHash('sha1').update(canonicalWireName(name)).update(salt).digest();
  for (let round = 0; round < iterations; round += 1) digest = createHash('sha1').update(digest).update(salt).digest();
  return digest;
}

/** Does the NSEC from `owner` to `next` cover `name` (lie strictly between them)? The last NSEC of a zone points back at the apex. */
function nsecCovers(owner: string, next: string, name: string, zone: string): boolean {
  if (compareNames(owner, name) >= 0) return false;
  return next === zone || compareNames(name, next) < 0;
}

function nsecDenial(name: string, zone: string, records: WireRecord[]): DsDenial | undefined {
  const nsecs = records.filter((record) => record.type === RecordType.NSEC);
  if (nsecs.length === 0) return undefined;
  // Wildcard NODATA (RFC 4035 3.1.3.4): the name itself is covered, and the wildcard that
  // answers for it has no DS: the name is data synthesised inside this zone, not a delegation.
  const decoded = nsecs.map((record) => ({ owner: record.name, nsec: decodeNsec(record.rdata) }));
  const covered = decoded.some(({ owner, nsec }) => owner !== name && nsecCovers(owner, nsec.nextName, name, zone) && !isAtOrBelow(nsec.nextName, name));
  const wildcard = decoded.find(({ owner }) => owner.startsWith('*.') && isAtOrBelow(name, owner.slice(2)) && name !== owner.slice(2));
  if (covered && wildcard && !wildcard.nsec.types.has(RecordType.DS)) return { kind: 'no_zone_cut', proof: 'nsec' };
  for (const record of nsecs) {
    const nsec = decodeNsec(record.rdata);
    if (record.name === name) {
      if (nsec.types.has(RecordType.DS)) return { kind: 'invalid', reason: 'denial_invalid' };
      if (nsec.types.has(RecordType.SOA)) return { kind: 'invalid', reason: 'denial_invalid' }; // the child's apex NSEC
      return nsec.types.has(RecordType.NS) ? { kind: 'insecure_delegation', proof: 'nsec' } : { kind: 'no_zone_cut', proof: 'nsec' };
    }
    // An empty non-terminal: the NSEC before it points at a name below it.
    if (nsecCovers(record.name, nsec.nextName, name, zone) && isAtOrBelow(nsec.nextName, name)) {
      return { kind: 'no_zone_cut', proof: 'nsec' };
    }
  }
  return { kind: 'invalid', reason: 'denial_invalid' };
}

interface HashedNsec3 {
  ownerHash: string;
  nsec3: Nsec3;
}

function covers(entry: HashedNsec3, hash: string): boolean {
  const next = base32hex(entry.nsec3.nextHashed);
  if (entry.ownerHash < next) return entry.ownerHash < hash && hash < next;
  // The last NSEC3 of the chain wraps around to the first.
  return hash > entry.ownerHash || hash < next;
}

function nsec3Denial(name: string, zone: string, records: WireRecord[]): DsDenial | undefined {
  const entries: HashedNsec3[] = records
    .filter((record) => record.type === RecordType.NSEC3 && parentName(record.name) === zone)
    .map((record) => ({ ownerHash: nameFromLabels(labelsOf(record.name).slice(0, 1)), nsec3: decodeNsec3(record.rdata) }));
  if (entries.length === 0) return undefined;
  const first = entries[0] as HashedNsec3;
  if (entries.some((entry) => entry.nsec3.hashAlgorithm !== 1)) return { kind: 'unusable', reason: 'nsec3_algorithm' };
  if (entries.some((entry) => entry.nsec3.iterations > maxNsec3Iterations)) return { kind: 'unusable', reason: 'nsec3_iterations' };
  const { salt, iterations } = first.nsec3;
  const hashOf = (candidate: string) => base32hex(nsec3Hash(candidate, salt, iterations));

  const exact = entries.find((entry) => entry.ownerHash === hashOf(name));
  if (exact) {
    const types = exact.nsec3.types;
    if (types.has(RecordType.DS) || types.has(RecordType.SOA)) return { kind: 'invalid', reason: 'denial_invalid' };
    return types.has(RecordType.NS) ? { kind: 'insecure_delegation', proof: 'nsec3' } : { kind: 'no_zone_cut', proof: 'nsec3' };
  }
  // No exact match: a closest-encloser proof whose next-closer name is covered by an opt-out
  // NSEC3 says an unsigned delegation may sit here (RFC 5155 8.6).
  const ancestors = [zone, ...namesBetween(zone, name).slice(0, -1)].reverse();
  for (const encloser of ancestors) {
    if (!entries.some((entry) => entry.ownerHash === hashOf(encloser))) continue;
    const nextCloser = namesBetween(encloser, name)[0] as string;
    const covering = entries.find((entry) => covers(entry, hashOf(nextCloser)));
    if (!covering) return { kind: 'invalid', reason: 'denial_invalid' };
    // Wildcard NODATA (RFC 5155 7.2.5): the wildcard at the closest encloser has no DS.
    const wildcard = entries.find((entry) => entry.ownerHash === hashOf(`*.${encloser === '.' ? '' : encloser}`.replace(/\.$/, '')));
    if (wildcard && !wildcard.nsec3.types.has(RecordType.DS)) return { kind: 'no_zone_cut', proof: 'nsec3' };
    if ((covering.nsec3.flags & 1) === 1) return { kind: 'insecure_delegation', proof: 'nsec3_opt_out' };
    return { kind: 'invalid', reason: 'denial_invalid' };
  }
  return { kind: 'invalid', reason: 'denial_invalid' };
}

/** Judge a signed NODATA answer to "DS at `name`?" from `zone`, whose NSEC/NSEC3 sets verified. */
export function judgeDsDenial(name: string, zone: string, verifiedAuthority: WireRecord[]): DsDenial {
  return nsecDenial(name, zone, verifiedAuthority) ?? nsec3Denial(name, zone, verifiedAuthority) ?? { kind: 'invalid', reason: 'denial_missing' };
}
