// Round-trip tracing for `npm run bench:mail`: every network round trip a scan makes, and the
// longest chain of round trips that wait on one another (the critical path). On loopback a round
// trip costs microseconds; on the internet each one costs the path's RTT (20–200 ms), so the
// critical path times the RTT is the floor of a real scan's duration.
//
// What counts as one round trip:
//   DNS over UDP         a query sent, its answer received (every packet, retries included)
//   DNS through c-ares   one query of node:dns's Resolver (the HTTP client's and port scan's lookups)
//   TCP connect          connect() until connected or refused
//   server greeting      the first bytes after connecting, before we sent anything (SMTP 220, SSH)
//   request and reply    we write, the first bytes of the reply arrive (EHLO, STARTTLS, HTTP, AXFR)
//   TLS handshake        1 for TLS 1.3, 2 for TLS 1.2 and older, 1 when it fails
//
// Which round trip waits on which, a causal clock: every piece of scan code runs at a depth, the
// deepest round trip it has seen the answer of. The depth travels with AsyncLocalStorage from
// the code that starts something to its callbacks and continuations (program order), and from
// the code that settles a promise to whatever awaits it (v8 promise hooks): an `await` resumes
// at the deeper of the depth it had and the depth its promise was settled at. A round trip
// starts at the depth of the code that starts it (or after the previous round trip on the same
// socket) and ends one deeper; its answer raises the depth of the code that receives it. Answers
// the DNS cache shares reach every caller through the shared promise. The critical path is the
// deepest round trip of the scan.
//
// Where this can under-count: Promise.all resumes at the depth of the input that settled last,
// not the deepest one (on loopback the deeper chain usually settles last). Connections the port
// scan starts are paced by its per-address throttle (a new probe starts where the last one ended),
// not by answers: for gatherers listed as `paced`, a connection starts after the DNS round trips
// of the chain only.
//
// Cross-checked by delaying every DNS answer 20 ms through a UDP proxy: (delayed − plain scan
// time) / 20 ms matched the traced DNS depth of mail.spf, reputation.dnsbl, people.lookalikes,
// dns.nameservers, dns.dangling-cname and mail.dkim within one round trip on 40 domains.
import { AsyncLocalStorage } from 'node:async_hooks';
import dgram from 'node:dgram';
import { Resolver as AresResolver } from 'node:dns/promises';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import { promiseHooks } from 'node:v8';
import type { ScanInstrumentation } from '../src/scan/types.ts';

/** A chain of round trips: how many, and how many of those were DNS. */
export interface Depth {
  all: number;
  dns: number;
}

export interface GathererTrace {
  roundTrips: number;
  dnsRoundTrips: number;
  critical: Depth;
}

export interface ScanTrace {
  roundTrips: number;
  dnsRoundTrips: number;
  critical: Depth;
  /** The gatherer whose chain is the critical path. */
  criticalGatherer: string | null;
  gatherers: Map<string, GathererTrace>;
}

interface TraceNode {
  trace: ScanTrace;
  gatherer: string;
  dns: boolean;
  /** Depth of its last finished round trip (before the first: where it started). */
  done: Depth;
}

interface Context {
  trace: ScanTrace;
  gatherer: string;
  /** The deepest round trip whose answer this code has seen. */
  depth: Depth;
}

const zero: Depth = { all: 0, dns: 0 };
const deeper = (a: Depth, b: Depth) => a.all > b.all || (a.all === b.all && a.dns > b.dns);

export interface RoundTripTracing {
  /** Hooks for ScanOptions.instrument. */
  instrument: ScanInstrumentation;
  /** Run one scan with its round trips traced. */
  traceScan<T>(scan: () => Promise<T>): Promise<{ result: T; trace: ScanTrace }>;
}

let installed: RoundTripTracing | undefined;

/**
 * Patch node:net, node:tls and node:dgram (through module.syncBuiltinESMExports, so modules that
 * imported `connect` by name see the patch) and node:dns's promise Resolver to observe sockets
 * and queries made inside a traced scan, and
 * install v8 promise hooks that carry depths from a settled promise to its awaiters. Sockets
 * and promises outside a traced scan are left alone. For benchmarks only.
 */
export function installRoundTripTracing(options: { dnsPorts: number[]; paced: string[] }): RoundTripTracing {
  if (installed) return installed;
  const storage = new AsyncLocalStorage<Context>();
  const dnsPorts = new Set([53, ...options.dnsPorts]);
  const paced = new Set(options.paced);
  const socketNodes = new WeakMap<object, TraceNode>();

  // From settled promise to awaiter: a reaction resumes at least as deep as its promise settled.
  const parentOf = new WeakMap<Promise<unknown>, Promise<unknown>>();
  const settledAt = new WeakMap<Promise<unknown>, Depth>();
  promiseHooks.onInit((promise, parent) => {
    if (parent) parentOf.set(promise, parent);
  });
  promiseHooks.onSettled((promise) => {
    const context = storage.getStore();
    if (context && context.depth.all > 0) settledAt.set(promise, context.depth);
  });
  promiseHooks.onBefore((promise) => {
    const parent = parentOf.get(promise);
    const depth = parent && settledAt.get(parent);
    if (depth) raise(depth);
  });

  /** The code running now has seen an answer at `depth`. */
  function raise(depth: Depth): void {
    const context = storage.getStore();
    if (context && deeper(depth, context.depth)) storage.enterWith({ ...context, depth });
  }

  function gathererTrace(trace: ScanTrace, kind: string): GathererTrace {
    let gatherer = trace.gatherers.get(kind);
    if (!gatherer) {
      gatherer = { roundTrips: 0, dnsRoundTrips: 0, critical: zero };
      trace.gatherers.set(kind, gatherer);
    }
    return gatherer;
  }

  function record(node: TraceNode, count: number, depth: Depth): void {
    const { trace } = node;
    const dnsCount = node.dns ? count : 0;
    trace.roundTrips += count;
    trace.dnsRoundTrips += dnsCount;
    const gatherer = gathererTrace(trace, node.gatherer);
    gatherer.roundTrips += count;
    gatherer.dnsRoundTrips += dnsCount;
    if (deeper(depth, gatherer.critical)) gatherer.critical = depth;
    if (deeper(depth, trace.critical)) {
      trace.critical = depth;
      trace.criticalGatherer = node.gatherer;
    }
  }

  /** Where new work of `node` starts: the running code's depth (for a paced connection: its DNS part). */
  function depthHere(node: TraceNode): Depth {
    const context = storage.getStore();
    if (!context || context.trace !== node.trace) return zero;
    const { depth } = context;
    return !node.dns && paced.has(node.gatherer) ? { all: depth.dns, dns: depth.dns } : depth;
  }

  /** A new node in the current scan; none outside a traced scan. */
  function createNode(dns: boolean, after: TraceNode[] = []): TraceNode | undefined {
    const context = storage.getStore();
    if (!context) return undefined;
    const node: TraceNode = { trace: context.trace, gatherer: context.gatherer, dns, done: zero };
    node.done = depthHere(node);
    for (const previous of after) if (previous.trace === node.trace && deeper(previous.done, node.done)) node.done = previous.done;
    return node;
  }

  /** A round trip starts after the node's previous one and after what the running code has seen. */
  function begin(node: TraceNode): Depth {
    const here = depthHere(node);
    return deeper(here, node.done) ? here : node.done;
  }

  /** A round trip ends: `count` deeper than it started; whoever reads its answer has seen it. */
  function finish(node: TraceNode, start: Depth, count = 1): void {
    const depth = { all: start.all + count, dns: start.dns + (node.dns ? count : 0) };
    if (deeper(depth, node.done)) node.done = depth;
    record(node, count, depth);
    raise(depth);
  }

  /**
   * The round trips of one stream socket: connecting (plain, or TLS to a host), a TLS handshake
   * (also on a socket already connected), then turns: a write opens one, the first bytes back
   * close it; bytes that arrive after connecting before we wrote anything are the greeting.
   * These listeners are added before the caller's, so the caller's run at the raised depth.
   */
  function traceSocket(socket: net.Socket, node: TraceNode, first: 'connect' | 'handshake', tlsAfterConnect: boolean): void {
    let phase: 'connect' | 'handshake' | 'turns' = first;
    let open: Depth | undefined = begin(node);
    let greeting = false;
    socket.once('connect', () => {
      if (phase !== 'connect') return;
      if (open) finish(node, open);
      phase = tlsAfterConnect ? 'handshake' : 'turns';
      open = tlsAfterConnect ? node.done : undefined;
      greeting = !tlsAfterConnect;
    });
    socket.once('secureConnect', () => {
      if (phase !== 'handshake') return;
      if (open) finish(node, open, (socket as tls.TLSSocket).getProtocol() === 'TLSv1.3' ? 1 : 2);
      phase = 'turns';
      open = undefined;
    });
    socket.once('close', () => {
      // Refused, reset, or a handshake the server declined: one round trip. A turn still open
      // here was never answered and nobody waited for it.
      if (phase !== 'turns' && open) finish(node, open);
      open = undefined;
    });
    const write = socket.write;
    socket.write = function (this: net.Socket, ...args: unknown[]) {
      greeting = false;
      open ??= begin(node);
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof socket.write;
    const push = socket.push;
    socket.push = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
      if (phase === 'turns' && chunk !== null && chunk !== undefined && (chunk as { length?: number }).length !== 0) {
        if (open) finish(node, open);
        else if (greeting) finish(node, node.done);
        open = undefined;
        greeting = false;
      }
      return (push as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof socket.push;
  }

  function portOf(args: unknown[]): number | undefined {
    const [first] = args;
    if (first && typeof first === 'object') return Number((first as { port?: unknown }).port);
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return Number(first);
    return undefined;
  }

  const originalNetConnect = net.connect;
  const tracedNetConnect = function (this: unknown, ...args: unknown[]) {
    const port = portOf(args);
    const node = createNode(port !== undefined && dnsPorts.has(port));
    const socket = (originalNetConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    if (node) {
      socketNodes.set(socket, node);
      traceSocket(socket, node, 'connect', false);
    }
    return socket;
  } as typeof net.connect;
  net.connect = tracedNetConnect;
  net.createConnection = tracedNetConnect;

  const originalTlsConnect = tls.connect;
  tls.connect = function (this: unknown, ...args: unknown[]) {
    const tlsOptions = args.find((arg): arg is tls.ConnectionOptions => arg !== null && typeof arg === 'object');
    const plain = tlsOptions?.socket ? socketNodes.get(tlsOptions.socket) : undefined;
    const node = createNode(false, plain ? [plain] : []);
    const socket = (originalTlsConnect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
    if (node) {
      socketNodes.set(socket, node);
      traceSocket(socket, node, tlsOptions?.socket ? 'handshake' : 'connect', true);
    }
    return socket;
  } as typeof tls.connect;

  const originalCreateSocket = dgram.createSocket;
  dgram.createSocket = function (this: unknown, ...args: unknown[]) {
    const node = createNode(true);
    const socket = (originalCreateSocket as (...a: unknown[]) => dgram.Socket).apply(this, args);
    if (node) {
      let open: Depth | undefined;
      const send = socket.send;
      socket.send = function (this: dgram.Socket, ...sendArgs: unknown[]) {
        open ??= begin(node);
        return (send as (...a: unknown[]) => void).apply(this, sendArgs);
      } as typeof socket.send;
      socket.on('message', () => {
        if (open) finish(node, open);
        open = undefined;
      });
    }
    return socket;
  } as typeof dgram.createSocket;
  syncBuiltinESMExports();

  /** One round trip from the call until its promise settles; whoever awaits it has seen the answer. */
  function timed<T>(call: () => Promise<T>): Promise<T> {
    const node = createNode(true);
    if (!node) return call();
    const start = begin(node);
    const promise = call();
    return new Promise<T>((resolve, reject) => {
      promise.then(
        (value) => {
          finish(node, start);
          resolve(value);
        },
        (error: unknown) => {
          finish(node, start);
          reject(error);
        },
      );
    });
  }

  // c-ares does its own I/O: each query of node:dns's promise Resolver is one round trip.
  const aresQueries = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'] as const;
  const aresPrototype = AresResolver.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of aresQueries) {
    const original = aresPrototype[method];
    if (typeof original !== 'function') continue;
    aresPrototype[method] = function (this: unknown, ...args: unknown[]) {
      return timed(() => original.apply(this, args));
    };
  }

  installed = {
    instrument: {
      gatherer: (kind, gather) => {
        const context = storage.getStore();
        return context ? storage.run({ trace: context.trace, gatherer: kind, depth: zero }, gather) : gather();
      },
    },
    async traceScan(scan) {
      const trace: ScanTrace = { roundTrips: 0, dnsRoundTrips: 0, critical: zero, criticalGatherer: null, gatherers: new Map() };
      const result = await storage.run({ trace, gatherer: '(scan)', depth: zero }, scan);
      return { result, trace };
    },
  };
  return installed;
}
