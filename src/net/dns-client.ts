// The scanner's own DNS client: raw DNS over UDP (with EDNS0) and TCP when the answer is
// truncated, through dns-packet, with a per-query deadline, a bounded cache shared by all
// gatherers of one scan, and counters for the benchmark.
//
// Why not node:dns's Resolver (c-ares)? It hides what SPF and DNSSEC need to tell apart:
// NXDOMAIN versus NOERROR without data is folded into error codes, the TXT bytes arrive
// re-encoded as UTF-8 strings (SPF must see non-ASCII bytes to refuse them), there is no
// access to the AD bit, RRSIG, DNSKEY, DS, TLSA or CAA records, and no cache we can count or
// bound. Here every answer is one of: records, nxdomain, nodata, or an error with a reason.
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { connect, isIP, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import { AppError } from '../errors.ts';

export type DnsFailure = 'timeout' | 'servfail' | 'refused' | 'malformed' | 'network' | 'invalid_name' | 'cname_loop';

export type DnsLookup<T> =
  | { status: 'ok'; records: T[]; ttl: number }
  | { status: 'nxdomain' }
  | { status: 'nodata' }
  | { status: 'error'; failure: DnsFailure };

export interface MxRecord {
  preference: number;
  /** The exchange without trailing dot, lowercase; `` for a null MX (RFC 7505). */
  exchange: string;
}

/** One raw answer for the less common types (CAA, TLSA, DNSKEY, …), as dns-packet decodes it. */
export interface DnsRawAnswer {
  status: DnsLookup<unknown>['status'];
  failure?: DnsFailure;
  rcode: string;
  /** The resolver validated the answer with DNSSEC (the AD bit). */
  authenticated: boolean;
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
}

export interface DnsClientStats {
  /** Questions asked (cache hits included). */
  lookups: number;
  /** Answered from the cache or from a query already in flight. */
  cacheHits: number;
  /** Packets sent over UDP or TCP, retries included. */
  packetsSent: number;
  tcpFallbacks: number;
  timeouts: number;
}

export interface DnsClient {
  /** TXT records, each record's character-strings joined without separator, byte-for-byte as latin1. */
  txt(name: string): Promise<DnsLookup<string>>;
  a(name: string): Promise<DnsLookup<string>>;
  aaaa(name: string): Promise<DnsLookup<string>>;
  mx(name: string): Promise<DnsLookup<MxRecord>>;
  /** Names (lowercase, no trailing dot) of a PTR query, e.g. for `4.3.2.1.in-addr.arpa`. */
  ptr(name: string): Promise<DnsLookup<string>>;
  /** Any record type, answers undigested (cached like the rest). */
  query(name: string, type: dnsPacket.RecordType, options?: { dnssecOk?: boolean }): Promise<DnsRawAnswer>;
  stats(): DnsClientStats;
}

export interface DnsClientOptions {
  /** `host:port`, `[v6]:port` or a bare IP; the system's resolvers when absent. */
  server?: string;
  /** Deadline for one question, retries and TCP fallback included. */
  timeoutMs?: number;
  /** UDP attempts before giving up (each gets an equal share of the deadline). */
  attempts?: number;
  maxCacheEntries?: number;
}

interface ServerAddress {
  host: string;
  port: number;
}

const defaultTimeoutMs = 5000;
const maxAnswers = 100;
const maxTxtLength = 16_384;
const maxCacheTtlSeconds = 3600;
const negativeTtlSeconds = 300;
const failureTtlSeconds = 15;
const udpPayloadSize = 1232;
const maxTcpMessage = 65_535;
const maxCnameChain = 8;

const rcodeOf = (packet: dnsPacket.Packet): string => String((packet as { rcode?: string }).rcode ?? 'NOERROR');

export function parseServerAddress(server: string): ServerAddress {
  const text = server.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const withPort = /^([^:\[\]]+):(\d{1,5})$/.exec(text);
  const host = bracketed?.[1] ?? withPort?.[1] ?? text;
  const port = Number(bracketed?.[2] ?? withPort?.[2] ?? 53);
  if (isIP(host) === 0 || (withPort && isIP(host) !== 4) || port < 1 || port > 65_535) {
    throw new AppError('validation', 'validation.resolver_invalid', { params: { resolver: text.slice(0, 100) } });
  }
  return { host, port };
}

function systemServers(): ServerAddress[] {
  const servers = getServers().flatMap((server) => {
    try {
      return [parseServerAddress(server)];
    } catch {
      return [];
    }
  });
  return servers.length > 0 ? servers : [{ host: '127.0.0.1', port: 53 }];
}

/** A name DNS can carry: labels of 1–63 octets, at most 253 characters. */
export function isQueryableName(name: string): boolean {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return true; // the root
  if (trimmed.length > 253) return false;
  return trimmed.split('.').every((label) => label.length >= 1 && Buffer.byteLength(label) <= 63);
}

const canonical = (name: string): string => name.toLowerCase().replace(/\.$/, '');

interface Exchange {
  packet: dnsPacket.Packet;
}

type ExchangeResult = Exchange | { failure: DnsFailure };

function matchesQuestion(packet: dnsPacket.Packet, id: number, name: string, type: string): boolean {
  const question = packet.questions?.[0];
  return (
    packet.type === 'response' &&
    packet.id === id &&
    question !== undefined &&
    canonical(question.name) === canonical(name) &&
    question.type === type
  );
}

/**
 * dns-packet does not bounds-check record data: a packet cut off inside a record decodes into
 * `192.0.undefined.undefined`. It reports how far it read, so a read past the end is refused.
 */
function decodeWhole(message: Buffer): dnsPacket.Packet {
  const packet = dnsPacket.decode(message);
  if (dnsPacket.decode.bytes > message.length) throw new Error('DNS message cut off inside a record');
  return packet;
}

function encodeQuery(id: number, name: string, type: dnsPacket.RecordType, edns: boolean, dnssecOk: boolean): Buffer {
  const packet: dnsPacket.Packet = {
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  };
  if (edns) {
    packet.additionals = [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0,
        flag_do: dnssecOk,
        options: [],
      },
    ];
  }
  return dnsPacket.encode(packet);
}

function udpExchange(server: ServerAddress, query: Buffer, id: number, name: string, type: string, timeoutMs: number): Promise<ExchangeResult & { truncated?: boolean }> {
  return new Promise((resolve) => {
    let socket: UdpSocket;
    try {
      socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    } catch {
      resolve({ failure: 'network' });
      return;
    }
    let settled = false;
    const finish = (result: ExchangeResult & { truncated?: boolean }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ failure: 'timeout' }), timeoutMs);
    socket.on('error', () => finish({ failure: 'network' }));
    socket.on('message', (message, remote) => {
      // Only the server we asked, with our id and question: anything else is noise or spoofing.
      if (remote.address !== server.host || remote.port !== server.port) return;
      let packet: dnsPacket.Packet;
      try {
        packet = decodeWhole(message);
      } catch {
        if (message.length >= 2 && message.readUInt16BE(0) === id) finish({ failure: 'malformed' });
        return;
      }
      if (!matchesQuestion(packet, id, name, type)) return;
      const truncated = ((packet.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) !== 0;
      finish({ packet, truncated });
    });
    socket.send(query, server.port, server.host, (error) => {
      if (error) finish({ failure: 'network' });
    });
  });
}

function tcpExchange(server: ServerAddress, query: Buffer, id: number, name: string, type: string, timeoutMs: number): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const socket: TcpSocket = connect({ host: server.host, port: server.port });
    const finish = (result: ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ failure: 'timeout' }), timeoutMs);
    socket.on('error', () => finish({ failure: 'network' }));
    socket.on('close', () => finish({ failure: 'network' }));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > maxTcpMessage + 2) return finish({ failure: 'malformed' });
      if (received.length < 2) return;
      const expected = received.readUInt16BE(0);
      if (received.length < expected + 2) return;
      try {
        const packet = decodeWhole(received.subarray(2, expected + 2));
        finish(matchesQuestion(packet, id, name, type) ? { packet } : { failure: 'malformed' });
      } catch {
        finish({ failure: 'malformed' });
      }
    });
  });
}

/** The answers for `name`/`type`, following a CNAME chain inside the answer section. */
function digest<T>(packet: dnsPacket.Packet, name: string, type: string, convert: (answer: dnsPacket.Answer) => T | undefined): DnsLookup<T> {
  const rcode = rcodeOf(packet);
  if (rcode === 'SERVFAIL') return { status: 'error', failure: 'servfail' };
  if (rcode === 'REFUSED') return { status: 'error', failure: 'refused' };
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return { status: 'error', failure: 'servfail' };
  const answers = (packet.answers ?? []).slice(0, maxAnswers * 2);
  let current = canonical(name);
  const visited = new Set<string>();
  for (let step = 0; step <= maxCnameChain; step += 1) {
    visited.add(current);
    const matching = answers.filter((answer) => answer.type === type && canonical(answer.name) === current);
    if (matching.length > 0) {
      const records = matching
        .slice(0, maxAnswers)
        .map(convert)
        .filter((record): record is T => record !== undefined);
      if (records.length === 0) return { status: 'nodata' };
      const ttl = Math.min(...matching.map((answer) => (answer as { ttl?: number }).ttl ?? 0));
      return { status: 'ok', records, ttl };
    }
    const alias = answers.find((answer) => answer.type === 'CNAME' && canonical(answer.name) === current);
    if (!alias || type === 'CNAME') break;
    const target = canonical(String((alias as { data?: unknown }).data));
    if (visited.has(target)) return { status: 'error', failure: 'cname_loop' };
    current = target;
  }
  return rcode === 'NXDOMAIN' ? { status: 'nxdomain' } : { status: 'nodata' };
}

function negativeTtl(packet: dnsPacket.Packet): number {
  const soa = (packet.authorities ?? []).find((answer) => answer.type === 'SOA') as
    | { ttl?: number; data?: { minimum?: number } }
    | undefined;
  if (!soa) return negativeTtlSeconds;
  return Math.min(soa.ttl ?? negativeTtlSeconds, soa.data?.minimum ?? negativeTtlSeconds, negativeTtlSeconds);
}

const latin1 = (value: unknown): string =>
  Buffer.isBuffer(value) ? value.toString('latin1') : typeof value === 'string' ? Buffer.from(value).toString('latin1') : '';

const converters = {
  TXT: (answer: dnsPacket.Answer): string | undefined => {
    const data = (answer as { data?: unknown }).data;
    const chunks = Array.isArray(data) ? data : [data];
    return chunks.map(latin1).join('').slice(0, maxTxtLength);
  },
  A: (answer: dnsPacket.Answer): string | undefined => {
    const data = (answer as { data?: unknown }).data;
    return typeof data === 'string' && isIP(data) === 4 ? data : undefined;
  },
  AAAA: (answer: dnsPacket.Answer): string | undefined => {
    const data = (answer as { data?: unknown }).data;
    return typeof data === 'string' && isIP(data) === 6 ? data.toLowerCase() : undefined;
  },
  MX: (answer: dnsPacket.Answer): MxRecord | undefined => {
    const data = (answer as { data?: { preference?: unknown; exchange?: unknown } }).data;
    if (typeof data?.exchange !== 'string' || typeof data.preference !== 'number') return undefined;
    const exchange = canonical(data.exchange);
    return { preference: data.preference, exchange: exchange === '.' ? '' : exchange };
  },
  PTR: (answer: dnsPacket.Answer): string | undefined => {
    const data = (answer as { data?: unknown }).data;
    return typeof data === 'string' ? canonical(data) : undefined;
  },
};

interface CacheEntry {
  expires: number;
  value: Promise<unknown>;
}

export function createDnsClient(options: DnsClientOptions = {}): DnsClient {
  const servers = options.server === undefined ? systemServers() : [parseServerAddress(options.server)];
  const timeoutMs = Math.max(20, Math.min(options.timeoutMs ?? defaultTimeoutMs, 60_000));
  const attempts = Math.max(1, Math.min(options.attempts ?? 2, 5));
  const maxCacheEntries = options.maxCacheEntries ?? 10_000;
  const cache = new Map<string, CacheEntry>();
  const counters: DnsClientStats = { lookups: 0, cacheHits: 0, packetsSent: 0, tcpFallbacks: 0, timeouts: 0 };

  async function exchange(name: string, type: dnsPacket.RecordType, dnssecOk: boolean): Promise<ExchangeResult> {
    const deadline = Date.now() + timeoutMs;
    let edns = true;
    let last: ExchangeResult = { failure: 'timeout' };
    for (let attempt = 0; attempt < attempts + 1; attempt += 1) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const server = servers[attempt % servers.length] as ServerAddress;
      const id = randomInt(0, 65_536);
      const query = encodeQuery(id, name, type, edns, dnssecOk);
      counters.packetsSent += 1;
      const share = Math.max(10, Math.min(remaining, Math.ceil(timeoutMs / attempts)));
      const answer = await udpExchange(server, query, id, name, type, share);
      if ('failure' in answer) {
        last = answer;
        if (answer.failure === 'timeout') counters.timeouts += 1;
        if (attempt + 1 >= attempts) break;
        continue;
      }
      // An old server that chokes on EDNS0 answers FORMERR: ask again plainly.
      if (edns && rcodeOf(answer.packet) === 'FORMERR') {
        edns = false;
        continue;
      }
      if (answer.truncated) {
        counters.tcpFallbacks += 1;
        counters.packetsSent += 1;
        const overTcp = await tcpExchange(server, query, id, name, type, Math.max(10, deadline - Date.now()));
        if ('failure' in overTcp && overTcp.failure === 'timeout') counters.timeouts += 1;
        return overTcp;
      }
      return answer;
    }
    return last;
  }

  function cached<T>(key: string, load: () => Promise<{ value: T; ttlSeconds: number }>): Promise<T> {
    counters.lookups += 1;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) {
      counters.cacheHits += 1;
      return hit.value as Promise<T>;
    }
    const entry: CacheEntry = { expires: Number.POSITIVE_INFINITY, value: Promise.resolve() };
    const value = load().then(({ value: loaded, ttlSeconds }) => {
      entry.expires = Date.now() + Math.max(0, Math.min(ttlSeconds, maxCacheTtlSeconds)) * 1000;
      return loaded;
    });
    entry.value = value;
    cache.delete(key);
    cache.set(key, entry);
    while (cache.size > maxCacheEntries) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
    }
    return value;
  }

  function lookup<T>(name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR', convert: (answer: dnsPacket.Answer) => T | undefined): Promise<DnsLookup<T>> {
    if (!isQueryableName(name)) return Promise.resolve({ status: 'error', failure: 'invalid_name' });
    const key = `${type} ${canonical(name)}`;
    return cached(key, async () => {
      const result = await exchange(canonical(name) || '.', type, false);
      if ('failure' in result) return { value: { status: 'error', failure: result.failure } as DnsLookup<T>, ttlSeconds: failureTtlSeconds };
      const digested = digest(result.packet, name, type, convert);
      const ttlSeconds =
        digested.status === 'ok' ? digested.ttl : digested.status === 'error' ? failureTtlSeconds : negativeTtl(result.packet);
      return { value: digested, ttlSeconds };
    });
  }

  return {
    txt: (name) => lookup(name, 'TXT', converters.TXT),
    a: (name) => lookup(name, 'A', converters.A),
    aaaa: (name) => lookup(name, 'AAAA', converters.AAAA),
    mx: (name) => lookup(name, 'MX', converters.MX),
    ptr: (name) => lookup(name, 'PTR', converters.PTR),
    query(name, type, queryOptions = {}) {
      const dnssecOk = queryOptions.dnssecOk === true;
      if (!isQueryableName(name)) {
        return Promise.resolve({ status: 'error', failure: 'invalid_name', rcode: '', authenticated: false, answers: [], authorities: [] });
      }
      return cached(`${type}${dnssecOk ? '+do' : ''} ${canonical(name)}`, async () => {
        const result = await exchange(canonical(name) || '.', type, dnssecOk);
        if ('failure' in result) {
          const value: DnsRawAnswer = { status: 'error', failure: result.failure, rcode: '', authenticated: false, answers: [], authorities: [] };
          return { value, ttlSeconds: failureTtlSeconds };
        }
        const digested = digest(result.packet, name, type, (answer) => answer);
        const value: DnsRawAnswer = {
          status: digested.status,
          ...(digested.status === 'error' ? { failure: digested.failure } : {}),
          rcode: rcodeOf(result.packet),
          authenticated: ((result.packet.flags ?? 0) & dnsPacket.AUTHENTIC_DATA) !== 0,
          answers: (result.packet.answers ?? []).slice(0, maxAnswers),
          authorities: (result.packet.authorities ?? []).slice(0, maxAnswers),
        };
        return { value, ttlSeconds: digested.status === 'ok' ? digested.ttl : digested.status === 'error' ? failureTtlSeconds : negativeTtl(result.packet) };
      });
    },
    stats: () => ({ ...counters }),
  };
}
