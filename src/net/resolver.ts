// Resolves a host name to its addresses through one chosen DNS server (or the system's),
// with a hard deadline. Failures are answers, not exceptions: the caller turns them into a
// check result with a reason.
import { Resolver as AresResolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors.ts';

export type LookupFailure = 'no_address' | 'dns_timeout' | 'dns_failure';

export interface AddressLookup {
  /** IPv4 addresses first, then IPv6; never more than `maxAddresses`. */
  addresses: string[];
  failure?: LookupFailure;
}

export interface Resolver {
  /** Addresses of `host`, or [] when it has none or DNS failed. */
  resolveAddresses(host: string): Promise<string[]>;
  lookupAddresses(host: string): Promise<AddressLookup>;
  /** TXT records of `name`, each record's strings joined; bounded in number and size. */
  lookupTxt(name: string): Promise<TxtLookup>;
}

export interface TxtLookup {
  records: string[];
  failure?: LookupFailure;
}

const maxTxtRecords = 50;
const maxTxtLength = 4096;

const defaultTimeoutMs = 5000;
const maxAddresses = 16;

/** `127.0.0.1:5353`, `[::1]:53` or a bare IP; a server must be an IP address, not a name. */
export function parseResolverAddress(server: string): string {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(server.trim());
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? 53 : Number(match[3]);
  if (!match || !host || !isIP(host) || (match[1] !== undefined && isIP(host) !== 6) || (match[2] !== undefined && isIP(host) !== 4) || port < 1 || port > 65535) {
    throw new AppError('validation', 'validation.resolver_invalid', { params: { resolver: server.slice(0, 100) } });
  }
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

const copyOf = (lookup: AddressLookup): AddressLookup => ({ ...lookup, addresses: [...lookup.addresses] });

function failureOf(error: unknown): LookupFailure | 'none' {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'none';
  if (code === 'ETIMEOUT' || code === 'ECANCELLED') return 'dns_timeout';
  return 'dns_failure';
}

/** Positive address answers are kept at most this long (or their TTL, when shorter). */
const maxCacheMs = 30_000;
const maxCachedNames = 256;

export function createResolver(server?: string, timeoutMs: number = defaultTimeoutMs): Resolver {
  const serverAddress = server === undefined ? undefined : parseResolverAddress(server);
  const boundedTimeout = Math.max(50, Math.min(timeoutMs, 60_000));

  async function resolveFresh(host: string): Promise<{ lookup: AddressLookup; ttlMs: number }> {
    // A fresh c-ares channel per lookup, so the deadline's cancel() touches only this lookup.
    const resolver = new AresResolver({ timeout: Math.ceil(boundedTimeout / 2), tries: 2 });
    if (serverAddress) resolver.setServers([serverAddress]);
    const deadline = setTimeout(() => resolver.cancel(), boundedTimeout);
    try {
      const [ipv4, ipv6] = await Promise.allSettled([resolver.resolve4(host, { ttl: true }), resolver.resolve6(host, { ttl: true })]);
      const records = [ipv4, ipv6].flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
      const addresses = [...new Set(records.map((record) => record.address))].filter((address) => isIP(address) !== 0).slice(0, maxAddresses);
      if (addresses.length > 0) return { lookup: { addresses }, ttlMs: Math.min(...records.map((record) => record.ttl * 1000)) };
      const failures = [ipv4, ipv6].map((answer) => (answer.status === 'rejected' ? failureOf(answer.reason) : 'none'));
      const failure = failures.find((kind) => kind === 'dns_timeout') ?? failures.find((kind) => kind === 'dns_failure');
      return { lookup: { addresses: [], failure: failure ?? 'no_address' }, ttlMs: 0 };
    } finally {
      clearTimeout(deadline);
    }
  }

  // Gatherers of one scan ask for the same name dozens of times (every HTTP request resolves
  // its host): concurrent questions share one lookup, and an answer with addresses is kept for
  // its TTL, at most 30 s. Failures and empty answers are not kept beyond their own lookup.
  const answers = new Map<string, { lookup: Promise<AddressLookup>; until: number }>();

  function lookupAddresses(host: string): Promise<AddressLookup> {
    const key = host.toLowerCase();
    const now = Date.now();
    const known = answers.get(key);
    if (known && known.until > now) return known.lookup.then(copyOf);
    if (known) answers.delete(key);
    if (answers.size >= maxCachedNames) {
      for (const [name, entry] of answers) if (entry.until <= now) answers.delete(name);
      if (answers.size >= maxCachedNames) answers.delete(answers.keys().next().value as string);
    }
    const entry = { lookup: Promise.resolve<AddressLookup>({ addresses: [] }), until: Number.POSITIVE_INFINITY };
    const forget = () => {
      if (answers.get(key) === entry) answers.delete(key);
    };
    entry.lookup = resolveFresh(host).then(
      ({ lookup, ttlMs }) => {
        const keepMs = lookup.addresses.length > 0 ? Math.min(maxCacheMs, ttlMs) : 0;
        if (keepMs > 0) entry.until = Date.now() + keepMs;
        else forget();
        return lookup;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    answers.set(key, entry);
    return entry.lookup.then(copyOf);
  }

  async function lookupTxt(name: string): Promise<TxtLookup> {
    const resolver = new AresResolver({ timeout: Math.ceil(boundedTimeout / 2), tries: 2 });
    if (serverAddress) resolver.setServers([serverAddress]);
    const deadline = setTimeout(() => resolver.cancel(), boundedTimeout);
    try {
      const answer = await resolver.resolveTxt(name);
      return { records: answer.slice(0, maxTxtRecords).map((chunks) => chunks.join('').slice(0, maxTxtLength)) };
    } catch (error) {
      const failure = failureOf(error);
      return failure === 'none' ? { records: [] } : { records: [], failure };
    } finally {
      clearTimeout(deadline);
    }
  }

  return {
    lookupAddresses,
    lookupTxt,
    async resolveAddresses(host) {
      return (await lookupAddresses(host)).addresses;
    },
  };
}
