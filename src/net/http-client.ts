// The one HTTP(S) client every web gatherer uses. A scanner that fetches whatever a hostile
// site serves must itself never become the risk, so every step is bounded:
//   - the name is resolved with our Resolver and the address checked with assertTargetAllowed
//     BEFORE connecting; the connection goes to exactly that IP, with SNI and Host set to the
//     name (no second lookup, so no DNS-rebinding gap);
//   - redirects are followed by hand (at most 10), each new host resolved and checked again,
//     loops detected, every hop recorded;
//   - timeouts for connect, TLS handshake, response headers and the whole response;
//   - header size cap (the parser refuses more), body read cap (stop reading, mark truncated),
//     gzip/deflate/br decoded with a cap on the decoded size (gzip bombs stop at the cap),
//     invalid text decoded with replacement characters;
//   - an identifiable User-Agent and at most a few concurrent requests per host;
//   - connections are kept alive between requests to the same endpoint (address, port, name,
//     trust) only when a response was read to its end, at most 2 idle per endpoint, 256 in all
//     (the oldest make room), 2 s idle, 100 requests each; a request on a kept connection the
//     server closed meanwhile is sent once more on a fresh one (GET, HEAD, OPTIONS only);
//   - identical requests of one scan can share one answer (FetchOptions.shared).
// Certificates are not enforced while fetching (the certificate check judges trust), but every
// TLS hop records whether it verified against Node's CA set plus the caller's extra CAs.
// Failures are answers with a stable reason code, never exceptions.
import { readFileSync } from 'node:fs';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, type SecureContext, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { isAppError } from '../errors.ts';
import { assertTargetAllowed } from './address-policy.ts';
import type { Resolver } from './resolver.ts';
import { fetchFailures, type FetchFailure } from './http-failures.ts';
import { clientSecureContext } from './trust-store.ts';

export { fetchFailures, type FetchFailure };


/** Why a body is incomplete or missing although the response itself arrived. */
export type BodyProblem = 'too_large' | 'timeout' | 'connection_lost' | 'decoding_failed' | 'unsupported_encoding';

export interface TlsDetails {
  protocol: string | null;
  cipher: string | null;
  /** The chain verified against Node's CA set plus extraCa AND the certificate names the host. */
  verified: boolean;
  /** OpenSSL's or the name check's reason when not verified (`CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`). */
  verifyError: string | null;
}

export interface HttpExchange {
  url: string;
  method: string;
  /** The IP address the request went to. */
  address: string;
  status: number;
  /** Lowercased names, in arrival order, repeated headers kept; values as received (latin1). */
  headers: Array<[string, string]>;
  /** Decoded text of the body (final responses only, never for redirects or HEAD). */
  body?: string;
  bodyTruncated: boolean;
  bodyProblem?: BodyProblem;
  /** Bytes of the body as it arrived on the wire (before decompression). */
  bodyBytes: number;
  tls: TlsDetails | null;
  durationMs: number;
}

export interface FetchChainResult {
  /** Every response received, redirects included, in order. */
  hops: HttpExchange[];
  /** The response the chain ended on (not a redirect), when it did not fail. */
  final?: HttpExchange;
  error?: FetchFailure;
  /** Low-level code behind `error` (`ECONNRESET`, `headers`, `ERR_SSL_…`), bounded. */
  errorDetail?: string;
  /** The URL whose request failed (a redirect target, for instance). */
  errorUrl?: string;
  /** Addresses the address policy refused, for the URL that failed. */
  refusedAddresses?: string[];
}

export interface FetchOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  /** Bound for each step: connect, TLS handshake, waiting for headers. The whole exchange gets twice this. */
  timeoutMs: number;
  /** PEM certificates trusted beyond Node's bundle and NODE_EXTRA_CA_CERTS. */
  extraCa?: string[];
  method?: 'GET' | 'HEAD' | 'OPTIONS';
  /** Extra request headers (names case-insensitive); Host and User-Agent are ours unless given. */
  headers?: Record<string, string>;
  /** 0 fetches exactly one URL; at most 10. */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** Read the final body (default true); false drops the connection once headers are in. */
  readBody?: boolean;
  /** Cap on the body (wire bytes and decoded bytes each); default 2 MB. */
  maxBodyBytes?: number;
  userAgent?: string;
  /**
   * Requests made with the same object (one scan's, from sharedFetchesFor) and the same method,
   * URL, headers, cap and body reading go out once: gatherers that look at the same page (the
   * home page, which the web and the leak gatherers both read) share the answer, failures too.
   */
  shared?: SharedFetches;
}

export const maxRedirectsAllowed = 10;
export const defaultMaxBodyBytes = 2 * 1024 * 1024;
export const maxHeaderBytes = 32 * 1024;
export const maxConcurrentPerHost = 2;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxUrlLength = 8192;

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0';
  } catch {
    return '0';
  }
}

/** Where a site owner who sees us in their logs reads who we are and how to reach us. */
export const scannerContactUrl = 'https://github.com/cybermonitor/cybermonitor#scanner';
export const defaultUserAgent = `Cybermonitor/${packageVersion()} (+${scannerContactUrl})`;
let scannerUserAgent = defaultUserAgent;

/**
 * The page a site owner who sees our requests in their logs can read: the installation's own
 * `PUBLIC_URL/scanner`, set once at start by `serve` and `worker`.
 */
export function setScannerContact(url: string): void {
  scannerUserAgent = `Cybermonitor/${packageVersion()} (+${url})`;
}

export const currentUserAgent = (): string => scannerUserAgent;

const bounded = (value: unknown, max = 256): string => String(value ?? '').slice(0, max);

// ---------------------------------------------------------------------------------------------
// Per-host concurrency: a small semaphore per host name, removed when idle.

interface HostSlots {
  active: number;
  waiting: Array<() => void>;
}
const hostSlots = new Map<string, HostSlots>();

async function acquireHostSlot(host: string, signal: AbortSignal): Promise<() => void> {
  let slots = hostSlots.get(host);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    hostSlots.set(host, slots);
  }
  const current = slots;
  if (current.active >= maxConcurrentPerHost) {
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = current.waiting.indexOf(wake);
        if (index >= 0) current.waiting.splice(index, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      current.waiting.push(wake);
    });
  }
  current.active += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    current.active -= 1;
    const next = current.waiting.shift();
    if (next) next();
    else if (current.active === 0) hostSlots.delete(host);
  };
}

// ---------------------------------------------------------------------------------------------
// Silent endpoints: when connecting or the TLS handshake to an address and port timed out, the
// next requests there (other gatherers of the same scan, often queued behind the first) fail at
// once for a short while instead of each waiting out the deadline again.

const silentForMs = 30_000;
const silentEndpoints = new Map<string, { until: number; detail: string }>();

const endpointKey = (address: string, target: Target) => `${target.secure ? 'tls' : 'tcp'}:${address}:${target.port}`;

function rememberTimeout(address: string, target: Target, failure: Failure): void {
  if (failure.detail !== 'connect' && failure.detail !== 'tls_handshake') return;
  if (silentEndpoints.size >= 1000) {
    const now = Date.now();
    for (const [key, entry] of silentEndpoints) if (entry.until <= now) silentEndpoints.delete(key);
    if (silentEndpoints.size >= 1000) silentEndpoints.delete(silentEndpoints.keys().next().value as string);
  }
  silentEndpoints.set(endpointKey(address, target), { until: Date.now() + silentForMs, detail: failure.detail });
}

function recentTimeout(address: string, target: Target): Failure | undefined {
  const key = endpointKey(address, target);
  const entry = silentEndpoints.get(key);
  if (!entry) return undefined;
  if (entry.until <= Date.now()) {
    silentEndpoints.delete(key);
    return undefined;
  }
  return { error: 'timeout', detail: `${entry.detail} (recent)` };
}

// ---------------------------------------------------------------------------------------------
// Kept-alive connections. A scan asks one site for twenty-odd paths; a TLS handshake per request
// cost more CPU on both sides than everything else together. A connection goes back into the
// pool only when its response was read completely and Node's HTTP parser freed it (HTTP/1.1
// keep-alive, no `Connection: close`); while idle it is unref'd, and any byte, error or close
// from the server removes it. Keyed by everything that could make it differ: scheme, address,
// port, host name (SNI and Host) and the trust context that judged its certificate.

const maxIdlePerEndpoint = maxConcurrentPerHost;
const maxIdleTotal = 256;
const idleMs = 2000;
const maxRequestsPerConnection = 100;
/** A body nobody reads is let through only when declared this small and in within this time. */
const maxDrainBytes = 16 * 1024;
const maxDrainMs = 200;
const maxFreeWaitMs = 100;

interface IdleConnection {
  connection: Connection;
  /** Stop watching it as an idle connection (before reuse or when closing it). */
  forget: () => void;
  /** Close it and take it out of the pool. */
  drop: () => void;
}
const idleConnections = new Map<string, IdleConnection[]>();
/** Every idle connection, oldest first: a full pool makes room by closing the oldest. */
const idleOrder = new Set<IdleConnection>();
const trustIds = new WeakMap<SecureContext, number>();
let nextTrustId = 1;

function poolKey(address: string, target: Target, trust: SecureContext | null): string {
  let trustId = 0;
  if (trust) {
    trustId = trustIds.get(trust) ?? nextTrustId++;
    trustIds.set(trust, trustId);
  }
  return `${target.secure ? 'https' : 'http'}|${address}|${target.port}|${target.host.toLowerCase()}|${trustId}`;
}

function takeIdle(key: string): Connection | undefined {
  const list = idleConnections.get(key);
  const entry = list?.pop();
  if (!entry) return undefined;
  if (list?.length === 0) idleConnections.delete(key);
  idleOrder.delete(entry);
  entry.forget();
  return entry.connection;
}

function keepIdle(key: string, connection: Connection): void {
  const list = idleConnections.get(key) ?? [];
  const { socket } = connection;
  if (socket.destroyed || !socket.writable || connection.requests >= maxRequestsPerConnection || list.length >= maxIdlePerEndpoint) {
    socket.destroy();
    return;
  }
  // Connections of scans that ended are the oldest: they make room for the running ones.
  if (idleOrder.size >= maxIdleTotal) idleOrder.values().next().value?.drop();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drop = () => {
    const current = idleConnections.get(key);
    const index = current?.indexOf(entry) ?? -1;
    if (current && index >= 0) {
      current.splice(index, 1);
      if (current.length === 0) idleConnections.delete(key);
    }
    idleOrder.delete(entry);
    entry.forget();
    socket.destroy();
  };
  const entry: IdleConnection = {
    connection,
    drop,
    forget: () => {
      clearTimeout(timer);
      socket.off('data', drop);
      socket.off('end', drop);
      socket.off('close', drop);
      socket.off('error', drop);
      socket.ref();
    },
  };
  // Bytes nobody asked for, or the server hanging up: this connection cannot carry a request.
  socket.on('data', drop);
  socket.on('end', drop);
  socket.on('close', drop);
  socket.on('error', drop);
  socket.unref();
  timer = setTimeout(drop, idleMs);
  timer.unref();
  list.push(entry);
  idleConnections.set(key, list);
  idleOrder.add(entry);
}

// ---------------------------------------------------------------------------------------------
// One hop: resolve, check, connect, request, read.

type Failure = { error: FetchFailure; detail?: string; refusedAddresses?: string[] };

interface Target {
  url: URL;
  host: string;
  port: number;
  secure: boolean;
}

function targetOf(raw: string): Target | undefined {
  if (typeof raw !== 'string' || raw.length > maxUrlLength) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return undefined;
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  url.hash = '';
  url.username = '';
  url.password = '';
  return { url, host, port, secure };
}

async function allowedAddresses(host: string, options: FetchOptions): Promise<{ addresses: string[] } | Failure> {
  let candidates: string[];
  if (isIP(host)) candidates = [host];
  else {
    const lookup = await options.resolver.lookupAddresses(host);
    if (lookup.failure) return { error: lookup.failure };
    candidates = lookup.addresses;
  }
  const addresses: string[] = [];
  const refused: string[] = [];
  for (const address of candidates) {
    try {
      assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
      addresses.push(address);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'target_refused') throw error;
      refused.push(address);
    }
  }
  if (addresses.length === 0) return { error: 'target_refused', detail: bounded(refused.join(', ')), refusedAddresses: refused.slice(0, 16) };
  return { addresses };
}

interface Connection {
  socket: Socket;
  tls: TlsDetails | null;
  /** Requests sent on this connection so far. */
  requests: number;
}

/** TCP connect (and TLS handshake) to one approved address, each phase with its own deadline. */
function openConnection(address: string, target: Target, options: FetchOptions, trust: SecureContext | null, signal: AbortSignal): Promise<Connection | Failure> {
  return new Promise((resolve) => {
    let settled = false;
    const plainSocket: Socket = netConnect({ host: address, port: target.port });
    let socket: Socket = plainSocket;
    let phase: 'connect' | 'tls_handshake' = 'connect';
    let timer = setTimeout(() => finish({ error: 'timeout', detail: phase }), Math.max(1, options.timeoutMs));
    const onAbort = () => finish({ error: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });

    function finish(outcome: Connection | Failure): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if ('error' in outcome) socket.destroy();
      else {
        // Hand over to the HTTP layer; until it listens, a late error must not go unheard.
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        socket.on('error', () => undefined);
        plainSocket.on('error', () => undefined);
      }
      resolve(outcome);
    }
    const onError = (error: NodeJS.ErrnoException) => {
      const code = bounded(error.code ?? error.message, 128);
      if (phase === 'tls_handshake') finish({ error: 'tls_failed', detail: code });
      else if (code === 'ECONNREFUSED') finish({ error: 'connection_refused', detail: code });
      else finish({ error: 'connection_failed', detail: code });
    };
    socket.on('error', onError);
    socket.once('close', () => finish(phase === 'tls_handshake' ? { error: 'tls_failed', detail: 'CLOSED' } : { error: 'connection_failed', detail: 'CLOSED' }));
    if (signal.aborted) return onAbort();

    socket.once('connect', () => {
      if (!target.secure) return finish({ socket, tls: null, requests: 0 });
      phase = 'tls_handshake';
      clearTimeout(timer);
      timer = setTimeout(() => finish({ error: 'timeout', detail: phase }), Math.max(1, options.timeoutMs));
      plainSocket.removeAllListeners('close');
      const secure: TLSSocket = tlsConnect({
        socket: plainSocket,
        servername: isIP(target.host) ? undefined : target.host,
        // Legacy servers still have headers worth judging; protocols are another check's business.
        secureContext: trust ?? clientSecureContext({ trust: 'default', extraCa: options.extraCa ?? [] }),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ALPNProtocols: ['http/1.1'],
      });
      socket = secure;
      secure.on('error', onError);
      secure.once('close', () => finish({ error: 'tls_failed', detail: 'CLOSED' }));
      secure.once('secureConnect', () => {
        const peer = secure.getPeerCertificate();
        const identity = peer?.raw ? checkServerIdentity(target.host, peer) : new Error('NO_PEER_CERTIFICATE');
        const verifyError = !secure.authorized
          ? bounded(secure.authorizationError ?? 'UNKNOWN', 128)
          : identity
            ? bounded((identity as NodeJS.ErrnoException).code ?? identity.message, 128)
            : null;
        finish({
          socket: secure,
          requests: 0,
          tls: {
            protocol: secure.getProtocol() ?? null,
            cipher: secure.getCipher()?.name ?? null,
            verified: verifyError === null,
            verifyError,
          },
        });
      });
    });
  });
}

function hostHeader(target: Target): string {
  const name = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  const defaultPort = target.secure ? 443 : 80;
  return target.port === defaultPort ? name : `${name}:${target.port}`;
}

function requestHeaders(target: Target, options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    host: hostHeader(target),
    'user-agent': options.userAgent ?? scannerUserAgent,
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'accept-encoding': 'gzip, deflate, br',
    connection: 'keep-alive',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function headerPairs(response: IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const raw = response.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    pairs.push([(raw[index] as string).toLowerCase(), raw[index + 1] as string]);
  }
  return pairs;
}

const headerValue = (headers: Array<[string, string]>, name: string): string | undefined => headers.find(([key]) => key === name)?.[1];

/** Decoders for a Content-Encoding, applied in order; undefined when a coding is not supported. */
function decodersFor(contentEncoding: string | undefined, firstByte: number): Transform[] | undefined {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > 2) return undefined;
  const decoders: Transform[] = [];
  // The last coding listed was applied last, so it is undone first.
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip());
    // Some servers send raw DEFLATE under "deflate"; browsers accept both, so do we.
    else if (coding === 'deflate') decoders.push(decoders.length === 0 && (firstByte & 0x0f) !== 8 ? zlib.createInflateRaw() : zlib.createInflate());
    else if (coding === 'br') decoders.push(zlib.createBrotliDecompress());
    else return undefined;
  }
  return decoders;
}

function charsetOf(contentType: string | undefined): string {
  const match = /;\s*charset\s*=\s*"?([\w.:-]{1,40})"?/i.exec(contentType ?? '');
  const label = match?.[1] ?? 'utf-8';
  try {
    new TextDecoder(label);
    return label;
  } catch {
    return 'utf-8';
  }
}

interface BodyRead {
  body: string;
  truncated: boolean;
  problem?: BodyProblem;
  wireBytes: number;
}

/**
 * Read at most `cap` bytes off the wire and keep at most `cap` decoded bytes; stop at the
 * deadline. A compressed body is decoded chunk by chunk, so a bomb stops at the cap.
 */
function readBody(response: IncomingMessage, headers: Array<[string, string]>, cap: number, deadline: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let wireBytes = 0;
    let settled = false;
    let decoders: Transform[] | undefined;
    const contentEncoding = headerValue(headers, 'content-encoding');

    const finish = (problem?: BodyProblem) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      response.destroy();
      for (const decoder of decoders ?? []) decoder.destroy();
      const text = problem === 'unsupported_encoding' ? '' : new TextDecoder(charsetOf(headerValue(headers, 'content-type')), { fatal: false }).decode(Buffer.concat(kept));
      resolve({ body: text, truncated: problem !== undefined, ...(problem ? { problem } : {}), wireBytes });
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(1, deadline - Date.now()));

    const keep = (chunk: Buffer) => {
      if (settled) return;
      const room = cap - keptBytes;
      if (chunk.length >= room) {
        kept.push(chunk.subarray(0, room));
        keptBytes += room;
        if (chunk.length > room) finish('too_large');
        return;
      }
      kept.push(chunk);
      keptBytes += chunk.length;
    };

    // Built on the first chunk, because raw-or-zlib DEFLATE shows in the first byte.
    const decoderChain = (firstByte: number): Transform[] | undefined => {
      const chain = decodersFor(contentEncoding, firstByte);
      if (!chain || chain.length === 0) return chain;
      for (let index = 0; index + 1 < chain.length; index += 1) (chain[index] as Transform).pipe(chain[index + 1] as Transform);
      for (const decoder of chain) decoder.on('error', () => finish('decoding_failed'));
      const last = chain[chain.length - 1] as Transform;
      last.on('data', keep);
      last.once('end', () => finish());
      return chain;
    };

    let wireCapReached = false;
    response.on('data', (chunk: Buffer) => {
      if (settled || wireCapReached) return;
      wireBytes += chunk.length;
      if (wireBytes > cap) {
        chunk = chunk.subarray(0, chunk.length - (wireBytes - cap));
        wireBytes = cap;
      }
      if (decoders === undefined) {
        decoders = decoderChain(chunk[0] ?? 0);
        if (decoders === undefined) return finish('unsupported_encoding');
      }
      wireCapReached = wireBytes >= cap;
      if (wireCapReached) response.pause();
      if (decoders.length === 0) {
        keep(chunk);
        if (wireCapReached) finish('too_large');
      } else {
        // At the cap, let the decoders turn this last chunk into text, then stop.
        (decoders[0] as Transform).write(chunk, () => {
          if (wireCapReached) setImmediate(() => finish('too_large'));
        });
      }
    });
    response.once('end', () => {
      if (decoders && decoders.length > 0) (decoders[0] as Transform).end();
      else if (contentEncoding && decoders === undefined && decodersFor(contentEncoding, 0) === undefined) finish('unsupported_encoding');
      else finish();
    });
    response.on('aborted', () => finish('connection_lost'));
    response.on('error', () => finish('connection_lost'));
  });
}

async function exchangeOnce(rawUrl: string, method: string, options: FetchOptions, signal: AbortSignal): Promise<HttpExchange | Failure> {
  const target = targetOf(rawUrl);
  if (!target) return { error: 'invalid_url', detail: bounded(rawUrl, 200) };
  const started = Date.now();
  const approved = await allowedAddresses(target.host, options);
  if ('error' in approved) return approved;
  if (signal.aborted) return { error: 'aborted' };

  let release: () => void;
  try {
    release = await acquireHostSlot(target.host.toLowerCase(), signal);
  } catch {
    return { error: 'aborted' };
  }
  try {
    // Try the next approved address only when one refuses outright (a dead IPv6 address,
    // say), never after a timeout: a silent host must not cost a multiple of the deadline.
    const trust = target.secure ? clientSecureContext({ trust: 'default', extraCa: options.extraCa ?? [] }) : null;
    let connection: Connection | Failure = { error: 'connection_failed' };
    let address = approved.addresses[0] as string;
    let kept = false;
    for (const candidate of approved.addresses.slice(0, 3)) {
      address = candidate;
      const idle = takeIdle(poolKey(candidate, target, trust));
      kept = idle !== undefined;
      connection = idle ?? recentTimeout(candidate, target) ?? (await openConnection(candidate, target, options, trust, signal));
      if ('error' in connection && connection.error === 'timeout') rememberTimeout(candidate, target, connection);
      if (!('error' in connection) || !['connection_refused', 'connection_failed'].includes(connection.error)) break;
    }
    if ('error' in connection) return connection;
    const key = poolKey(address, target, trust);
    const outcome = await exchangeOn(connection, key, address, target, method, options, signal, started);
    // A kept connection the server closed while it was idle fails before any response: once more
    // on a fresh connection.
    if (kept && 'error' in outcome && outcome.error === 'no_response' && !signal.aborted) {
      const fresh = await openConnection(address, target, options, trust, signal);
      if ('error' in fresh) return fresh;
      return await exchangeOn(fresh, key, address, target, method, options, signal, started);
    }
    return outcome;
  } finally {
    release();
  }
}

function exchangeOn(
  connection: Connection,
  poolKey: string,
  address: string,
  target: Target,
  method: string,
  options: FetchOptions,
  signal: AbortSignal,
  started: number,
): Promise<HttpExchange | Failure> {
  return new Promise((resolve) => {
    let settled = false;
    const deadline = Date.now() + 2 * Math.max(1, options.timeoutMs);
    let request: ClientRequest | undefined;
    const finish = (outcome: HttpExchange | Failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(headersTimer);
      signal.removeEventListener('abort', onAbort);
      if ('error' in outcome) {
        request?.destroy();
        connection.socket.destroy();
      }
      resolve(outcome);
    };
    const headersTimer = setTimeout(() => finish({ error: 'timeout', detail: 'headers' }), Math.max(1, options.timeoutMs));
    const onAbort = () => finish({ error: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();

    connection.requests += 1;
    // Node's parser emits 'free' once a keep-alive response is complete and the socket is idle.
    let freed = false;
    const onFree = () => {
      freed = true;
    };
    connection.socket.once('free', onFree);
    request = httpRequest({
      createConnection: () => connection.socket,
      method,
      path: `${target.url.pathname}${target.url.search}`,
      headers: requestHeaders(target, options),
      setHost: false,
      maxHeaderSize: maxHeaderBytes,
      insecureHTTPParser: false,
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = bounded(error.code ?? error.message, 128);
      if (code === 'HPE_HEADER_OVERFLOW') finish({ error: 'headers_too_large', detail: code });
      else if (code.startsWith('HPE_')) finish({ error: 'protocol_error', detail: code });
      else if (code === 'ECONNRESET' || code === 'EPIPE') finish({ error: 'no_response', detail: code });
      else finish({ error: 'connection_failed', detail: code });
    });
    request.once('response', (response) => {
      clearTimeout(headersTimer);
      const headers = headerPairs(response);
      const status = response.statusCode ?? 0;
      const exchange: HttpExchange = {
        url: target.url.href,
        method,
        address,
        status,
        headers,
        bodyTruncated: false,
        bodyBytes: 0,
        tls: connection.tls,
        durationMs: 0,
      };
      const wantsBody = options.readBody !== false && method !== 'HEAD' && !(redirectStatuses.has(status) && headerValue(headers, 'location') !== undefined);
      // Node's parser emits 'free' once a keep-alive response is complete and the request is
      // written; a connection that is not freed is closed. The pool takes it before the caller
      // hears back, so the caller's next request finds it.
      let disposing = false;
      const settle = (complete: boolean) => {
        if (disposing) return;
        disposing = true;
        const dispose = (reusable: boolean) => {
          connection.socket.off('free', onFree);
          if (reusable) keepIdle(poolKey, connection);
          else connection.socket.destroy();
          finish(exchange);
        };
        // The parser said no keep-alive (Connection: close, HTTP/1.0): close at once.
        if (!complete || request?.shouldKeepAlive !== true) return dispose(false);
        if (freed) return dispose(true);
        // Freed when the request has also finished writing, normally within the same turn.
        const freedNow = () => {
          clearTimeout(fallback);
          dispose(true);
        };
        const fallback = setTimeout(() => {
          connection.socket.off('free', freedNow);
          dispose(false);
        }, maxFreeWaitMs);
        connection.socket.once('free', freedNow);
      };
      if (!wantsBody) {
        exchange.durationMs = Date.now() - started;
        // A body nobody reads (a redirect's, a preflight's) is let through when it is declared
        // small (or chunked) and arrives at once, at most 16 KB within 200 ms, so the connection
        // can carry the next request; else the connection is dropped.
        const declared = headerValue(headers, 'content-length');
        const chunked = declared === undefined && /\bchunked\b/i.test(headerValue(headers, 'transfer-encoding') ?? '');
        const drainable =
          method === 'HEAD' || status === 204 || status === 304 || chunked || (declared !== undefined && /^\d{1,5}$/.test(declared.trim()) && Number(declared) <= maxDrainBytes);
        if (!drainable) {
          response.destroy();
          return settle(false);
        }
        let drained = 0;
        const cut = setTimeout(() => {
          response.destroy();
          settle(false);
        }, Math.min(maxDrainMs, Math.max(1, options.timeoutMs)));
        response.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > maxDrainBytes) {
            clearTimeout(cut);
            response.destroy();
            settle(false);
          }
        });
        response.once('end', () => {
          clearTimeout(cut);
          settle(true);
        });
        response.once('aborted', () => {
          clearTimeout(cut);
          settle(false);
        });
        response.once('error', () => {
          clearTimeout(cut);
          settle(false);
        });
        return;
      }
      readBody(response, headers, options.maxBodyBytes ?? defaultMaxBodyBytes, deadline).then((read) => {
        exchange.body = read.body;
        exchange.bodyTruncated = read.truncated;
        if (read.problem) exchange.bodyProblem = read.problem;
        exchange.bodyBytes = read.wireBytes;
        exchange.durationMs = Date.now() - started;
        settle(read.problem === undefined);
      });
    });
    request.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Gather once: identical requests of one scan share one answer.

declare const sharedFetchesBrand: unique symbol;
/** A scan's set of shared requests; opaque, made by sharedFetchesFor. */
export interface SharedFetches {
  readonly [sharedFetchesBrand]: true;
}
type SharedEntries = Map<string, Promise<HttpExchange | Failure>>;

const sharedScopes = new WeakMap<object, SharedEntries>();
/** Answers with a larger body are shared only while in flight, so a scan holds little. */
const maxRetainedBodyChars = 256 * 1024;
const maxSharedPerScope = 64;

/** The shared requests of `scope` (a scan's gather context): the same object for the same scope. */
export function sharedFetchesFor(scope: object): SharedFetches {
  let entries = sharedScopes.get(scope);
  if (!entries) {
    entries = new Map();
    sharedScopes.set(scope, entries);
  }
  return entries as unknown as SharedFetches;
}

async function exchangeShared(rawUrl: string, method: string, options: FetchOptions, signal: AbortSignal): Promise<HttpExchange | Failure> {
  const entries = options.shared as unknown as SharedEntries | undefined;
  if (!entries) return exchangeOnce(rawUrl, method, options, signal);
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value])
    .sort(([a], [b]) => (a as string).localeCompare(b as string));
  const key = JSON.stringify([
    method,
    rawUrl,
    headers,
    options.readBody !== false,
    options.maxBodyBytes ?? defaultMaxBodyBytes,
    options.userAgent ?? null,
    options.allowPrivate,
    options.timeoutMs,
    options.extraCa ?? [],
  ]);
  // Every caller gets its own copy: what one gatherer does with an answer stays its business.
  const copy = (outcome: HttpExchange | Failure): HttpExchange | Failure =>
    'error' in outcome ? { ...outcome } : { ...outcome, headers: outcome.headers.map(([name, value]): [string, string] => [name, value]), ...(outcome.tls ? { tls: { ...outcome.tls } } : {}) };
  const known = entries.get(key);
  if (known) return copy(await known);
  const pending = exchangeOnce(rawUrl, method, options, signal);
  if (entries.size < maxSharedPerScope) entries.set(key, pending);
  const outcome = await pending;
  if (!('error' in outcome) && (outcome.body?.length ?? 0) > maxRetainedBodyChars && entries.get(key) === pending) entries.delete(key);
  return copy(outcome);
}

// ---------------------------------------------------------------------------------------------

/**
 * Fetch `url`, following up to `maxRedirects` (default 10) redirects by hand. Never throws for
 * anything the network or the server does; the result says what happened at every hop.
 */
export async function fetchChain(url: string, options: FetchOptions): Promise<FetchChainResult> {
  const maxRedirects = Math.max(0, Math.min(options.maxRedirects ?? maxRedirectsAllowed, maxRedirectsAllowed));
  const signal = options.signal ?? new AbortController().signal;
  const hops: HttpExchange[] = [];
  const seen = new Set<string>();
  let method = options.method ?? 'GET';
  let current = url;

  for (;;) {
    const outcome = await exchangeShared(current, method, options, signal);
    if ('error' in outcome) {
      const failure: FetchChainResult = { hops, error: outcome.error, errorUrl: bounded(current, 2048) };
      if (outcome.detail) failure.errorDetail = bounded(outcome.detail);
      if (outcome.refusedAddresses) failure.refusedAddresses = outcome.refusedAddresses;
      return failure;
    }
    hops.push(outcome);
    seen.add(`${method} ${outcome.url}`);
    const location = headerValue(outcome.headers, 'location');
    if (!redirectStatuses.has(outcome.status) || location === undefined) return { hops, final: outcome };

    let next: string;
    try {
      next = new URL(location, outcome.url).href;
    } catch {
      return { hops, error: 'redirect_invalid', errorDetail: bounded(location), errorUrl: outcome.url };
    }
    if (!targetOf(next)) return { hops, error: 'redirect_invalid', errorDetail: bounded(location), errorUrl: bounded(next, 2048) };
    if (outcome.status === 303 && method !== 'HEAD') method = 'GET';
    if (seen.has(`${method} ${new URL(next).href.replace(/#.*$/, '')}`)) return { hops, error: 'redirect_loop', errorUrl: bounded(next, 2048) };
    if (hops.length > maxRedirects) return { hops, error: 'too_many_redirects', errorUrl: bounded(next, 2048) };
    current = next;
  }
}

/** The values of a response header (name case-insensitive), in arrival order. */
export function headerValues(exchange: Pick<HttpExchange, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  return exchange.headers.filter(([key]) => key === wanted).map(([, value]) => value);
}
