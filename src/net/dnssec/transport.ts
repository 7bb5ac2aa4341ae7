// Raw DNS exchanges for what the shared DNS client (src/net/dns-client.ts) does not hand out:
// the exact RDATA bytes DNSSEC validation needs (with DO and CD set), and the first message of a
// zone transfer over TCP. Every exchange has a deadline; every reply is parsed by the bounded
// parser in wire.ts; anything hostile (garbage, cut-off packets, compression loops, a stream
// that never ends) becomes a failure reason, never an exception or a hang.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { connect, isIP } from 'node:net';
import { normaliseName } from './names.ts';
import { encodeQuery, parseMessage, type WireMessage, WireError } from './wire.ts';

export type ExchangeFailure = 'timeout' | 'malformed' | 'network' | 'truncated' | 'budget' | 'aborted';

export interface ServerAddress {
  host: string;
  port: number;
}

export type ExchangeOutcome =
  | { ok: true; message: WireMessage; transport: 'udp' | 'tcp'; server: string }
  | { ok: false; failure: ExchangeFailure; detail: string; server: string };

const maxTcpMessage = 65_535;
const maxIgnoredDatagrams = 32;

export const serverText = (server: ServerAddress): string => (isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`);

/** `host:port`, `[v6]:port` or a bare IP address. Throws on anything else. */
export function parseServer(text: string): ServerAddress {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  const withPort = /^([^:[\]]+):(\d{1,5})$/.exec(trimmed);
  const host = bracketed?.[1] ?? withPort?.[1] ?? trimmed;
  const port = Number(bracketed?.[2] ?? withPort?.[2] ?? 53);
  if (isIP(host) === 0 || port < 1 || port > 65_535) throw new Error(`not a DNS server address: ${trimmed.slice(0, 100)}`);
  return { host, port };
}

/** The scan's resolver when given, else the system's (resolv.conf). */
export function resolverServers(resolver?: string): ServerAddress[] {
  if (resolver !== undefined) return [parseServer(resolver)];
  const servers = getServers().flatMap((server) => {
    try {
      return [parseServer(server)];
    } catch {
      return [];
    }
  });
  return servers.length > 0 ? servers : [{ host: '127.0.0.1', port: 53 }];
}

function matches(message: WireMessage, id: number, name: string, type: number): boolean {
  const question = message.questions[0];
  return message.isResponse && message.id === id && question !== undefined && question.type === type && question.name === normaliseName(name);
}

function describe(error: unknown): string {
  return String((error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? error).slice(0, 120);
}

type Attempt = { message: WireMessage } | { failure: ExchangeFailure; detail: string };

function udpAttempt(server: ServerAddress, query: Buffer, id: number, name: string, type: number, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  return new Promise((resolve) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let settled = false;
    let ignored = 0;
    const finish = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      resolve(attempt);
    };
    const onAbort = () => finish({ failure: 'aborted', detail: 'scan budget' });
    const timer = setTimeout(() => finish({ failure: 'timeout', detail: 'udp' }), Math.max(1, timeoutMs));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish({ failure: 'network', detail: describe(error) }));
    socket.on('message', (datagram, remote) => {
      if (remote.address !== server.host || remote.port !== server.port) return;
      // A reply to our id that does not parse is the server's fault; anything else is noise.
      const ours = datagram.length >= 2 && datagram.readUInt16BE(0) === id;
      try {
        const message = parseMessage(datagram);
        if (matches(message, id, name, type)) return finish({ message });
      } catch (error) {
        if (ours) return finish({ failure: 'malformed', detail: error instanceof WireError ? error.message : describe(error) });
      }
      ignored += 1;
      if (ignored > maxIgnoredDatagrams) finish({ failure: 'malformed', detail: 'only unrelated datagrams' });
    });
    socket.send(query, server.port, server.host, (error) => {
      if (error) finish({ failure: 'network', detail: describe(error) });
    });
  });
}

/**
 * Send one query over TCP and read exactly one length-prefixed reply (at most 64 KiB, which the
 * 2-byte length already bounds). Used for truncated UDP answers and for AXFR's first message.
 */
export function tcpExchange(server: ServerAddress, query: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<{ reply: Buffer } | { failure: ExchangeFailure; detail: string }> {
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    let connected = false;
    const socket = connect({ host: server.host, port: server.port });
    const finish = (outcome: { reply: Buffer } | { failure: ExchangeFailure; detail: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ failure: 'aborted', detail: 'scan budget' });
    const timer = setTimeout(() => finish({ failure: 'timeout', detail: connected ? 'tcp read' : 'tcp connect' }), Math.max(1, timeoutMs));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish({ failure: 'network', detail: describe(error) }));
    socket.on('close', () => finish({ failure: 'network', detail: connected ? 'closed before a full reply' : 'CLOSED' }));
    socket.on('connect', () => {
      connected = true;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const expected = received.readUInt16BE(0);
      if (received.length >= expected + 2) finish({ reply: received.subarray(2, expected + 2) });
      else if (received.length > maxTcpMessage + 2) finish({ failure: 'malformed', detail: 'tcp reply too long' });
    });
  });
}

export interface RawQueryOptions {
  dnssec?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One question to one server: UDP first, TCP when the answer comes back truncated. */
export async function exchange(server: ServerAddress, name: string, type: number, options: RawQueryOptions): Promise<ExchangeOutcome> {
  const where = serverText(server);
  const deadline = Date.now() + options.timeoutMs;
  const id = randomInt(0, 65_536);
  const query = encodeQuery(id, name, type, { dnssec: options.dnssec });
  let attempt: Attempt = { failure: 'timeout', detail: 'udp' };
  // Two UDP tries share the deadline: one lost datagram is not a verdict.
  for (let tries = 0; tries < 2; tries += 1) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    attempt = await udpAttempt(server, query, id, name, type, tries === 0 ? Math.ceil(remaining / 2) : remaining, options.signal);
    if (!('failure' in attempt) || attempt.failure !== 'timeout') break;
  }
  if ('failure' in attempt) return { ok: false, failure: attempt.failure, detail: attempt.detail, server: where };
  if (!attempt.message.truncated) return { ok: true, message: attempt.message, transport: 'udp', server: where };

  const overTcp = await tcpExchange(server, query, Math.max(1, deadline - Date.now()), options.signal);
  if ('failure' in overTcp) {
    const failure = overTcp.failure === 'timeout' || overTcp.failure === 'aborted' ? overTcp.failure : 'truncated';
    return { ok: false, failure, detail: `truncated over UDP, TCP: ${overTcp.detail}`, server: where };
  }
  try {
    const message = parseMessage(overTcp.reply);
    if (!matches(message, id, name, type)) return { ok: false, failure: 'malformed', detail: 'tcp reply to another question', server: where };
    return { ok: true, message, transport: 'tcp', server: where };
  } catch (error) {
    return { ok: false, failure: 'malformed', detail: error instanceof WireError ? error.message : describe(error), server: where };
  }
}

export interface RawDnsClient {
  /** Ask the resolver(s); answers are cached for the life of this client (one scan). */
  query(name: string, type: number, options?: { dnssec?: boolean }): Promise<ExchangeOutcome>;
  stats(): { queries: number; cacheHits: number };
}

export interface RawDnsClientOptions {
  servers: ServerAddress[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Questions this client may send in total (a bound on what one scan costs). */
  maxQueries?: number;
}

export function createRawDnsClient(options: RawDnsClientOptions): RawDnsClient {
  const cache = new Map<string, Promise<ExchangeOutcome>>();
  const maxQueries = options.maxQueries ?? 200;
  let queries = 0;
  let cacheHits = 0;
  return {
    query(name, type, queryOptions = {}) {
      const key = `${normaliseName(name)} ${type} ${queryOptions.dnssec ? 'do' : ''}`;
      const hit = cache.get(key);
      if (hit) {
        cacheHits += 1;
        return hit;
      }
      const pending = (async (): Promise<ExchangeOutcome> => {
        let last: ExchangeOutcome = { ok: false, failure: 'network', detail: 'no server', server: '' };
        for (const server of options.servers.slice(0, 3)) {
          if (queries >= maxQueries) return { ok: false, failure: 'budget', detail: `more than ${maxQueries} questions`, server: serverText(server) };
          queries += 1;
          last = await exchange(server, name, type, { dnssec: queryOptions.dnssec, timeoutMs: options.timeoutMs, signal: options.signal });
          // Try the next server only when this one is unreachable, not when it answered badly.
          if (last.ok || (last.failure !== 'network' && last.failure !== 'timeout')) break;
        }
        return last;
      })();
      cache.set(key, pending);
      return pending;
    },
    stats: () => ({ queries, cacheHits }),
  };
}
