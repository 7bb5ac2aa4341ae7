// RFC 7208 check_host(), written by hand for this product: it is the product's own logic, not
// a wrapped library, so that every step (limits, errors, the facts a report needs) is ours to
// test and to explain. All DNS goes through the injected resolver, so the evaluator runs the
// same against a test server on loopback as against the internet.
import type { DnsClient, DnsLookup, MxRecord } from '../../net/dns-client.ts';
import { isQueryableName } from '../../net/dns-client.ts';
import { type IpAddress, inPrefix, macroIp, parseClientIp, parseIpv4, parseIpv6, readableIp, reverseName, sameAddress } from './ip.ts';
import { expandMacros, type MacroToken, MacroSyntaxError, type MacroValues, parseMacroString, queryName } from './macro.ts';
import { type Directive, isSpfRecord, parseSpfRecord, type SpfRecord, SpfSyntaxError } from './record.ts';

export type SpfResult = 'none' | 'neutral' | 'pass' | 'fail' | 'softfail' | 'temperror' | 'permerror';

/** The DNS questions check_host() asks; the product's DnsClient answers them. */
export type SpfDns = Pick<DnsClient, 'txt' | 'a' | 'aaaa' | 'mx' | 'ptr'>;

export type SpfProblemCode =
  | 'syntax'
  | 'multiple_records'
  | 'lookup_limit'
  | 'void_limit'
  | 'mx_limit'
  | 'include_none'
  | 'redirect_none'
  | 'dns_error';

export interface SpfProblem {
  code: SpfProblemCode;
  /** The domain whose record or lookup caused it. */
  domain: string;
  /** The offending term or the DNS failure, bounded. */
  detail: string;
}

export interface SpfRecordSeen {
  domain: string;
  record: string;
  via: 'initial' | 'include' | 'redirect';
  /** 0 for the domain checked and its redirects, +1 per include. */
  depth: number;
}

export interface SpfEvaluation {
  result: SpfResult;
  /** For fail: the domain's own explanation (exp=), expanded; null when it gave none. */
  explanation: string | null;
  problem: SpfProblem | null;
  /** The directive that decided the result and the domain whose record holds it. */
  matched: { domain: string; term: string } | null;
  /** Mechanisms and modifiers that caused DNS lookups (the limit is 10). */
  dnsLookups: number;
  /** Lookups that found nothing (the limit is 2). */
  voidLookups: number;
  records: SpfRecordSeen[];
}

export interface SpfRequest {
  /** The SMTP client's address. */
  ip: string;
  /** The domain whose policy is checked; the sender's (or HELO's) domain when absent. */
  domain?: string;
  /** MAIL FROM; empty for bounces, then postmaster@helo is checked. */
  sender: string;
  helo: string;
  /** %{r}: the name of the host doing the check. */
  receiver?: string;
  now?: Date;
}

export interface SpfOptions {
  dns: SpfDns;
  maxLookups?: number;
  maxVoidLookups?: number;
}

const maxNamesPerMechanism = 10;
const maxRecordsKept = 50;

/** Ends evaluation with permerror or temperror; never escapes checkHost(). */
class Abort extends Error {
  readonly result: 'permerror' | 'temperror';
  readonly problem: SpfProblem;
  constructor(result: 'permerror' | 'temperror', problem: SpfProblem) {
    super(problem.code);
    this.result = result;
    this.problem = problem;
  }
}

interface Outcome {
  result: SpfResult;
  explanation: string | null;
  matched: { domain: string; term: string } | null;
}

const bounded = (text: string, max = 200): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);

/** RFC 7208 §4.3: a domain check_host() can work with (else the result is none). */
function isCheckableDomain(domain: string): boolean {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name.startsWith('[') || !isQueryableName(name)) return false;
  return name.split('.').length >= 2;
}

function splitSender(sender: string, helo: string): { sender: string; localPart: string; domain: string } {
  const address = sender === '' ? `postmaster@${helo}` : sender;
  const at = address.lastIndexOf('@');
  if (at < 0) return { sender: `postmaster@${address}`, localPart: 'postmaster', domain: address };
  const localPart = address.slice(0, at) || 'postmaster';
  const domain = address.slice(at + 1);
  return { sender: `${localPart}@${domain}`, localPart, domain };
}

function dnsFailure(domain: string, lookup: DnsLookup<unknown>): Abort {
  return new Abort('temperror', { code: 'dns_error', domain, detail: lookup.status === 'error' ? lookup.failure : lookup.status });
}

/** Evaluate SPF for one connection: the result word, the explanation for fail, and the facts. */
export async function checkHost(request: SpfRequest, options: SpfOptions): Promise<SpfEvaluation> {
  const client = parseClientIp(request.ip);
  if (!client) throw new TypeError('checkHost: not an IP address');
  const maxLookups = options.maxLookups ?? 10;
  const maxVoidLookups = options.maxVoidLookups ?? 2;
  const dns = options.dns;
  const who = splitSender(request.sender, request.helo);
  const state = { lookups: 0, voids: 0, records: [] as SpfRecordSeen[] };
  const addressLookup = (name: string) => (client.family === 4 ? dns.a(name) : dns.aaaa(name));
  const parseAddress = (text: string): IpAddress | undefined => (client.family === 4 ? parseIpv4(text) : parseIpv6(text));

  const countLookup = (domain: string, term: string) => {
    state.lookups += 1;
    if (state.lookups > maxLookups) throw new Abort('permerror', { code: 'lookup_limit', domain, detail: bounded(term) });
  };
  const countVoid = (domain: string, term: string) => {
    state.voids += 1;
    if (state.voids > maxVoidLookups) throw new Abort('permerror', { code: 'void_limit', domain, detail: bounded(term) });
  };

  /** Names from the PTR query that resolve back to the client's address (at most 10 tried). */
  async function validatedNames(): Promise<string[]> {
    const ptr = await dns.ptr(reverseName(client as IpAddress));
    if (ptr.status !== 'ok') return [];
    // At most 10 names, looked up together so a slow name costs one deadline, not ten;
    // a name whose lookup fails is skipped (RFC 7208 §5.5).
    const names = ptr.records.slice(0, maxNamesPerMechanism).filter((name) => name !== '' && isQueryableName(name));
    const lookups = await Promise.all(names.map((name) => addressLookup(name)));
    return names.filter((_, index) => {
      const addresses = lookups[index] as DnsLookup<string>;
      return addresses.status === 'ok' && addresses.records.some((text) => {
        const address = parseAddress(text);
        return address !== undefined && sameAddress(address, client as IpAddress);
      });
    });
  }

  const isSubdomainOf = (name: string, domain: string) => {
    const a = name.toLowerCase().replace(/\.$/, '');
    const b = domain.toLowerCase().replace(/\.$/, '');
    return a === b || a.endsWith(`.${b}`);
  };

  function macroValues(domain: string): MacroValues {
    return {
      sender: who.sender,
      localPart: who.localPart,
      senderDomain: who.domain,
      domain,
      ip: macroIp(client as IpAddress),
      readableIp: readableIp(client as IpAddress),
      ipVersion: (client as IpAddress).family === 4 ? 'in-addr' : 'ip6',
      helo: request.helo,
      receiver: request.receiver ?? 'unknown',
      timestamp: Math.floor((request.now ?? new Date()).getTime() / 1000),
      async validatedName() {
        const names = await validatedNames();
        const exact = names.find((name) => name.toLowerCase() === domain.toLowerCase().replace(/\.$/, ''));
        return exact ?? names.find((name) => isSubdomainOf(name, domain)) ?? names[0] ?? 'unknown';
      },
    };
  }

  const target = async (tokens: MacroToken[] | null, domain: string) => (tokens === null ? domain : queryName(await expandMacros(tokens, macroValues(domain))));

  async function explain(record: SpfRecord, domain: string): Promise<string | null> {
    if (!record.explanation) return null;
    try {
      const name = queryName(await expandMacros(record.explanation.domain, macroValues(domain)));
      if (!isQueryableName(name)) return null;
      const txt = await dns.txt(name);
      if (txt.status !== 'ok' || txt.records.length !== 1) return null;
      const tokens = parseMacroString(txt.records[0] as string, 'explanation');
      return await expandMacros(tokens, macroValues(domain));
    } catch (error) {
      if (error instanceof MacroSyntaxError) return null;
      throw error;
    }
  }

  async function matches(directive: Directive, domain: string, depth: number): Promise<boolean> {
    const mechanism = directive.mechanism;
    const term = directive.text;
    switch (mechanism.kind) {
      case 'all':
        return true;
      case 'ip4':
      case 'ip6':
        return inPrefix(client as IpAddress, mechanism.network, mechanism.prefix);
      case 'include': {
        countLookup(domain, term);
        const name = await target(mechanism.domain, domain);
        const inner = await evaluate(name, 'include', depth + 1);
        if (inner === null) throw new Abort('permerror', { code: 'include_none', domain: bounded(name), detail: bounded(term) });
        return inner.result === 'pass';
      }
      case 'a': {
        countLookup(domain, term);
        const name = await target(mechanism.domain, domain);
        if (!isQueryableName(name)) return false;
        const prefix = (client as IpAddress).family === 4 ? mechanism.ip4Prefix : mechanism.ip6Prefix;
        return matchAddresses(await addressLookup(name), prefix, name, domain, term);
      }
      case 'mx': {
        countLookup(domain, term);
        const name = await target(mechanism.domain, domain);
        if (!isQueryableName(name)) return false;
        const mx = await dns.mx(name);
        if (mx.status === 'error') throw dnsFailure(name, mx);
        if (mx.status !== 'ok') {
          countVoid(domain, term);
          return false;
        }
        if (mx.records.length > maxNamesPerMechanism) throw new Abort('permerror', { code: 'mx_limit', domain, detail: bounded(term) });
        const prefix = (client as IpAddress).family === 4 ? mechanism.ip4Prefix : mechanism.ip6Prefix;
        // The exchanges' addresses are looked up together: a match wins, else a failed lookup
        // makes the result temperror. A null MX (RFC 7505) has no exchange to look up.
        const exchanges = mx.records.map((record: MxRecord) => record.exchange).filter((exchange) => exchange !== '' && isQueryableName(exchange));
        const lookups = await Promise.all(exchanges.map((exchange) => addressLookup(exchange)));
        if (lookups.some((addresses) => addresses.status === 'ok' && inAny(addresses.records, prefix))) return true;
        const failedAt = lookups.findIndex((addresses) => addresses.status === 'error');
        if (failedAt >= 0) throw dnsFailure(exchanges[failedAt] as string, lookups[failedAt] as DnsLookup<unknown>);
        return false;
      }
      case 'ptr': {
        countLookup(domain, term);
        const name = await target(mechanism.domain, domain);
        return (await validatedNames()).some((validated) => isSubdomainOf(validated, name));
      }
      case 'exists': {
        countLookup(domain, term);
        const name = await target(mechanism.domain, domain);
        if (!isQueryableName(name)) return false;
        const found = await dns.a(name);
        if (found.status === 'error') throw dnsFailure(name, found);
        if (found.status !== 'ok') {
          countVoid(domain, term);
          return false;
        }
        return true;
      }
    }
  }

  function inAny(addresses: string[], prefix: number): boolean {
    return addresses.some((text) => {
      const address = parseAddress(text);
      return address !== undefined && inPrefix(client as IpAddress, address, prefix);
    });
  }

  function matchAddresses(lookup: DnsLookup<string>, prefix: number, name: string, domain: string, term: string): boolean {
    if (lookup.status === 'error') throw dnsFailure(name, lookup);
    if (lookup.status !== 'ok') {
      countVoid(domain, term);
      return false;
    }
    return inAny(lookup.records, prefix);
  }

  /** check_host() for one domain; null means the result "none" (no usable record). */
  async function evaluate(domain: string, via: SpfRecordSeen['via'], depth: number): Promise<Outcome | null> {
    if (!isCheckableDomain(domain)) return null;
    const name = domain.replace(/\.$/, '');
    const txt = await dns.txt(name);
    if (txt.status === 'error') throw dnsFailure(name, txt);
    if (txt.status !== 'ok') return null;
    const candidates = txt.records.filter(isSpfRecord);
    if (candidates.length === 0) return null;
    for (const record of candidates) {
      if (state.records.length < maxRecordsKept) state.records.push({ domain: name, record: record.slice(0, 2048), via, depth });
    }
    if (candidates.length > 1) throw new Abort('permerror', { code: 'multiple_records', domain: name, detail: String(candidates.length) });
    let record: SpfRecord;
    try {
      record = parseSpfRecord(candidates[0] as string);
    } catch (error) {
      if (error instanceof SpfSyntaxError) throw new Abort('permerror', { code: 'syntax', domain: name, detail: bounded(`${error.term}: ${error.message}`) });
      throw error;
    }
    for (const directive of record.directives) {
      if (!(await matches(directive, name, depth))) continue;
      const result = ({ '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' } as const)[directive.qualifier];
      return {
        result,
        explanation: result === 'fail' ? await explain(record, name) : null,
        matched: { domain: name, term: bounded(directive.text) },
      };
    }
    if (record.redirect) {
      countLookup(name, record.redirect.text);
      const redirected = await target(record.redirect.domain, name);
      const outcome = await evaluate(redirected, 'redirect', depth);
      if (outcome === null) throw new Abort('permerror', { code: 'redirect_none', domain: bounded(redirected), detail: bounded(record.redirect.text) });
      return outcome;
    }
    return { result: 'neutral', explanation: null, matched: null };
  }

  const facts = () => ({ dnsLookups: state.lookups, voidLookups: state.voids, records: state.records });
  try {
    const outcome = await evaluate(request.domain ?? who.domain, 'initial', 0);
    if (outcome === null) return { result: 'none', explanation: null, problem: null, matched: null, ...facts() };
    return { ...outcome, problem: null, ...facts() };
  } catch (error) {
    if (error instanceof Abort) return { result: error.result, explanation: null, problem: error.problem, matched: null, ...facts() };
    if (error instanceof MacroSyntaxError) {
      return { result: 'permerror', explanation: null, problem: { code: 'syntax', domain: who.domain, detail: bounded(error.message) }, matched: null, ...facts() };
    }
    throw error;
  }
}
