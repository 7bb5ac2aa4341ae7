// Parsing one SPF record (RFC 7208 §4.5, §4.6, §5, §6, Appendix A) into terms. The whole
// record is checked before anything is evaluated: a syntax error anywhere is a permerror.
import { type IpAddress, parseIpv4, parseIpv6 } from './ip.ts';
import { MacroSyntaxError, type MacroToken, parseDomainSpec, parseMacroString } from './macro.ts';

export type Qualifier = '+' | '-' | '~' | '?';

export type Mechanism =
  | { kind: 'all' }
  | { kind: 'include'; domain: MacroToken[] }
  | { kind: 'a' | 'mx'; domain: MacroToken[] | null; ip4Prefix: number; ip6Prefix: number }
  | { kind: 'ptr'; domain: MacroToken[] | null }
  | { kind: 'ip4' | 'ip6'; network: IpAddress; prefix: number }
  | { kind: 'exists'; domain: MacroToken[] };

export interface Directive {
  qualifier: Qualifier;
  mechanism: Mechanism;
  /** The term as written, for reports. */
  text: string;
}

export interface SpfRecord {
  directives: Directive[];
  redirect: { domain: MacroToken[]; text: string } | null;
  explanation: { domain: MacroToken[]; text: string } | null;
}

export class SpfSyntaxError extends Error {
  override name = 'SpfSyntaxError';
  /** The offending term, as written (bounded). */
  readonly term: string;
  constructor(term: string, reason: string) {
    super(reason);
    this.term = term.slice(0, 200);
  }
}

/** `v=spf1` followed by a space or the end: the records check_host() considers (§4.5). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

function cidr(digits: string | undefined, max: number, term: string): number | undefined {
  if (digits === undefined) return undefined;
  if (!/^(?:0|[1-9]\d{0,2})$/.test(digits) || Number(digits) > max) throw new SpfSyntaxError(term, `invalid prefix length /${digits}`);
  return Number(digits);
}

function domainSpec(text: string, term: string): MacroToken[] {
  try {
    return parseDomainSpec(text);
  } catch (error) {
    if (error instanceof MacroSyntaxError) throw new SpfSyntaxError(term, error.message);
    throw error;
  }
}

function parseMechanism(name: string, rest: string, term: string): Mechanism {
  switch (name) {
    case 'all':
      if (rest !== '') throw new SpfSyntaxError(term, 'all takes no arguments');
      return { kind: 'all' };
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':')) throw new SpfSyntaxError(term, `${name} needs a domain`);
      return { kind: name, domain: domainSpec(rest.slice(1), term) };
    }
    case 'a':
    case 'mx': {
      const match = /^(?::(.+?))?(?:\/(\d+))?(?:\/\/(\d+))?$/s.exec(rest);
      if (!match) throw new SpfSyntaxError(term, `malformed ${name} mechanism`);
      return {
        kind: name,
        domain: match[1] === undefined ? null : domainSpec(match[1], term),
        ip4Prefix: cidr(match[2], 32, term) ?? 32,
        ip6Prefix: cidr(match[3], 128, term) ?? 128,
      };
    }
    case 'ptr': {
      if (rest === '') return { kind: 'ptr', domain: null };
      if (!rest.startsWith(':')) throw new SpfSyntaxError(term, 'malformed ptr mechanism');
      return { kind: 'ptr', domain: domainSpec(rest.slice(1), term) };
    }
    case 'ip4': {
      const match = /^:([0-9.]+)(?:\/(\d+))?$/.exec(rest);
      const network = match ? parseIpv4(match[1] as string) : undefined;
      if (!match || !network) throw new SpfSyntaxError(term, 'invalid IPv4 network');
      return { kind: 'ip4', network, prefix: cidr(match[2], 32, term) ?? 32 };
    }
    case 'ip6': {
      const match = /^:([0-9a-fA-F:.]+?)(?:\/(\d+))?$/.exec(rest);
      const network = match ? parseIpv6(match[1] as string) : undefined;
      if (!match || !network) throw new SpfSyntaxError(term, 'invalid IPv6 network');
      return { kind: 'ip6', network, prefix: cidr(match[2], 128, term) ?? 128 };
    }
    default:
      throw new SpfSyntaxError(term, `unknown mechanism ${name}`);
  }
}

/** Parse a record already selected with isSpfRecord(); throws SpfSyntaxError. */
export function parseSpfRecord(text: string): SpfRecord {
  // Only printable ASCII and spaces: SPF records are 7-bit (§3.1), terms are separated by
  // spaces and nothing else (§4.6.1).
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad) throw new SpfSyntaxError(text, `character 0x${bad[0].charCodeAt(0).toString(16)} not allowed`);
  if (!isSpfRecord(text)) throw new SpfSyntaxError(text.slice(0, 20), 'not an SPF version 1 record');
  const record: SpfRecord = { directives: [], redirect: null, explanation: null };
  for (const term of text.slice('v=spf1'.length).split(' ').filter((part) => part !== '')) {
    const modifier = /^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)$/s.exec(term);
    if (modifier) {
      const name = (modifier[1] as string).toLowerCase();
      const value = modifier[2] as string;
      if (name === 'redirect' || name === 'exp') {
        const slot = name === 'redirect' ? 'redirect' : 'explanation';
        if (record[slot] !== null) throw new SpfSyntaxError(term, `${name}= appears more than once`);
        record[slot] = { domain: domainSpec(value, term), text: term };
      } else {
        try {
          parseMacroString(value, 'unknown-modifier');
        } catch (error) {
          if (error instanceof MacroSyntaxError) throw new SpfSyntaxError(term, error.message);
          throw error;
        }
      }
      continue;
    }
    const directive = /^([+\-~?]?)([A-Za-z][A-Za-z0-9]*)(.*)$/s.exec(term);
    if (!directive) throw new SpfSyntaxError(term, 'neither a mechanism nor a modifier');
    record.directives.push({
      qualifier: ((directive[1] as string) || '+') as Qualifier,
      mechanism: parseMechanism((directive[2] as string).toLowerCase(), directive[3] as string, term),
      text: term,
    });
  }
  return record;
}
