// Which protocol versions and cipher suites an HTTPS endpoint accepts. TLS 1.0–1.3 are first
// tried with full handshakes by Node (OpenSSL with every suite it has, security level 0);
// SSLv2, SSLv3 and suite enumeration use hand-built hellos (src/net/tls-hello), because Node's
// OpenSSL has no SSLv3, RC4, 3DES or EXPORT and a ServerHello is all it takes to know a suite is
// accepted. Enumeration offers a group of suites, notes the one the server picks, drops it and
// asks again until the server refuses: accepted suites + one refusal per group, per protocol.
// Every connection goes to the one address the policy approved; the whole scan has a deadline.
import { isIP } from 'node:net';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import { isAppError } from '../../errors.ts';
import { assertTargetAllowed } from '../../net/address-policy.ts';
import type { Resolver } from '../../net/resolver.ts';
import { clientSecureContext } from '../../net/trust-store.ts';
import { codeText, type ProtocolVersion, protocolVersions, sslv2Specs, suiteName, suitesFor, wireVersion } from '../../net/tls-hello/cipher-suites.ts';
import { type ProbeOutcome, type ProbeTarget, probeHello, probeSslv2 } from '../../net/tls-hello/probe.ts';
import type { GatherFailure } from './certificate-evidence.ts';
import type { AcceptedSuite, ProtocolResult } from './tls-scan-evidence.ts';

export interface TlsScanOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  /** Deadline for each connection (connect plus first answer). */
  timeoutMs: number;
  port?: number;
  /** The scan as a whole stops when this aborts (and after `budgetMs`). */
  signal?: AbortSignal;
  /** Upper bound for the whole scan; 4 connection timeouts by default. */
  budgetMs?: number;
}

export interface ProtocolScan extends ProtocolResult {
  suites: AcceptedSuite[];
  complete: boolean;
}

export interface TlsScan {
  host: string;
  port: number;
  addresses: string[];
  refusedAddresses: string[];
  address: string | null;
  error: GatherFailure | null;
  errorDetail: string | null;
  protocols: ProtocolScan[];
  handshakes: number;
  durationMs: number;
}

/** Suites per hello: some servers fail on longer lists, so larger sets are offered in groups. */
const groupSize = 128;
/** No scan makes more connections than this, whatever the server does. */
const maxConnections = 400;
/** Connections open to one host at the same time (what a browser allows itself). */
const concurrency = 6;

const bounded = (value: unknown, max = 128): string => String(value ?? '').slice(0, max);
const nodeVersions: Partial<Record<ProtocolVersion, SecureVersion>> = {
  TLSv1: 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

/** A counting gate: at most `limit` tasks at once, and at most `maxConnections` in total. */
function connectionGate(limit: number) {
  let active = 0;
  let used = 0;
  const waiting: Array<() => void> = [];
  return {
    get used() {
      return used;
    },
    get exhausted() {
      return used >= maxConnections;
    },
    async run<T>(task: () => Promise<T>, fallback: T): Promise<T> {
      if (used >= maxConnections) return fallback;
      used += 1;
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active += 1;
      try {
        return await task();
      } finally {
        active -= 1;
        waiting.shift()?.();
      }
    },
  };
}
type Gate = ReturnType<typeof connectionGate>;

type HandshakeOutcome =
  | { kind: 'accepted'; cipher: string | null }
  | { kind: 'refused'; detail: string }
  | { kind: 'unreachable'; error: GatherFailure; detail: string };

/** A full handshake pinned to one version, offering every suite Node's OpenSSL has. */
function nodeHandshake(target: ProbeTarget, servername: string | undefined, version: SecureVersion): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    if (target.signal?.aborted) {
      resolve({ kind: 'unreachable', error: 'timeout', detail: 'budget' });
      return;
    }
    let settled = false;
    let connected = false;
    const socket = tlsConnect({
      host: target.address,
      port: target.port,
      servername,
      // Nothing is verified here (the certificate gatherer judges trust): an empty store.
      secureContext: clientSecureContext({ trust: 'none', minVersion: version, maxVersion: version, ciphers: 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' }),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const finish = (outcome: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      target.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ kind: 'unreachable', error: 'timeout', detail: connected ? 'handshake' : 'connect' });
    target.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(onAbort, Math.max(1, target.timeoutMs));
    socket.once('connect', () => {
      connected = true;
    });
    socket.once('secureConnect', () => {
      const negotiated = socket.getProtocol();
      if (negotiated === version) finish({ kind: 'accepted', cipher: socket.getCipher()?.name ?? null });
      else finish({ kind: 'refused', detail: bounded(`negotiated ${negotiated}`) });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = bounded(error.code ?? error.message);
      if (code === 'ECONNREFUSED') finish({ kind: 'unreachable', error: 'connection_refused', detail: code });
      else if (connected) finish({ kind: 'refused', detail: code });
      else finish({ kind: 'unreachable', error: 'connection_failed', detail: code });
    });
    socket.once('close', () => finish(connected ? { kind: 'refused', detail: 'closed' } : { kind: 'unreachable', error: 'connection_failed', detail: 'CLOSED' }));
  });
}

/** What a refusal looked like, for the person reading the evidence. */
function refusalDetail(outcome: ProbeOutcome): string {
  switch (outcome.kind) {
    case 'alert':
      return `alert ${outcome.description}`;
    case 'malformed':
      return `malformed ${outcome.reason}`;
    case 'server_hello':
      return `answered 0x${codeText(outcome.version)}`;
    case 'connection_failed':
      return outcome.code;
    case 'timeout':
      return `timeout ${outcome.stage}`;
    default:
      return outcome.kind;
  }
}

const budgetSpent: ProbeOutcome = { kind: 'timeout', stage: 'connect' };
const cutShort = (outcome: ProbeOutcome) => outcome.kind === 'timeout' || outcome.kind === 'connection_failed' || outcome.kind === 'connection_refused';

interface Enumeration {
  suites: number[];
  complete: boolean;
  /** The first refusal, when nothing was accepted. */
  detail: string | null;
  /** The server could not be asked at all (timeouts, connection failures). */
  unreachable: boolean;
}

/**
 * Offer each group of suites until the server refuses, collecting the suites it picks. Groups go
 * one after another; a server that stops answering ends the whole enumeration.
 */
async function enumerateSuites(gate: Gate, target: ProbeTarget, protocol: Exclude<ProtocolVersion, 'SSLv2'>, serverName: string | undefined): Promise<Enumeration> {
  const all = suitesFor(protocol);
  const wanted = wireVersion[protocol];
  const found: number[] = [];
  let complete = true;
  let detail: string | null = null;
  let unreachable = false;
  groups: for (let start = 0; start < all.length; start += groupSize) {
    let offer = all.slice(start, start + groupSize);
    while (offer.length > 0) {
      const outcome = await gate.run(() => probeHello(target, { protocol, suites: offer, serverName }), budgetSpent);
      const picked = outcome.kind === 'server_hello' && outcome.version === wanted ? outcome.cipherSuite : undefined;
      if (picked !== undefined && offer.includes(picked)) {
        found.push(picked);
        offer = offer.filter((code) => code !== picked);
        continue;
      }
      detail ??= refusalDetail(outcome);
      if (cutShort(outcome) || gate.exhausted) {
        complete = false;
        unreachable = found.length === 0;
        break groups;
      }
      // A ServerHello for a suite that was not offered is a broken server: note it, go on.
      if (outcome.kind === 'server_hello' && outcome.version === wanted) complete = false;
      break;
    }
  }
  return { suites: found, complete, detail, unreachable };
}

async function scanSslv2(gate: Gate, target: ProbeTarget): Promise<ProtocolScan> {
  const outcome = await gate.run(() => probeSslv2(target, sslv2Specs()), budgetSpent);
  if (outcome.kind === 'sslv2_server_hello' && outcome.version === 0x0002) {
    const suites = outcome.cipherSpecs.slice(0, 64).map((spec) => codeText(spec, 3));
    return {
      protocol: 'SSLv2',
      accepted: true,
      via: 'hello',
      detail: null,
      suites: suites.map((code) => ({ code, name: suiteName(code) })),
      complete: true,
    };
  }
  return { protocol: 'SSLv2', accepted: cutShort(outcome) ? null : false, via: null, detail: refusalDetail(outcome), suites: [], complete: !cutShort(outcome) };
}

async function scanProtocol(gate: Gate, target: ProbeTarget, protocol: Exclude<ProtocolVersion, 'SSLv2'>, serverName: string | undefined): Promise<ProtocolScan & { unreachable?: HandshakeOutcome }> {
  const version = nodeVersions[protocol];
  let handshake: HandshakeOutcome | undefined;
  if (version) {
    handshake = await gate.run(() => nodeHandshake(target, serverName, version), { kind: 'unreachable', error: 'timeout', detail: 'budget' } as HandshakeOutcome);
    // A server that would not answer Node will not answer a hand-built hello either; one that
    // says "not this version" (alert 70) has answered the question.
    if (handshake.kind === 'unreachable') {
      return { protocol, accepted: null, via: null, detail: handshake.detail, suites: [], complete: false, unreachable: handshake };
    }
    if (handshake.kind === 'refused' && handshake.detail === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION') {
      return { protocol, accepted: false, via: null, detail: 'alert 70', suites: [], complete: true };
    }
  }
  const enumeration = await enumerateSuites(gate, target, protocol, serverName);
  const suites = enumeration.suites.map((code) => {
    const text = codeText(code);
    return { code: text, name: suiteName(text) };
  });
  const byHandshake = handshake?.kind === 'accepted';
  const accepted = byHandshake || suites.length > 0 ? true : enumeration.unreachable ? null : false;
  return {
    protocol,
    accepted,
    via: byHandshake ? 'handshake' : suites.length > 0 ? 'hello' : null,
    detail: accepted ? null : handshake?.kind === 'refused' ? handshake.detail : enumeration.detail,
    suites,
    complete: enumeration.complete,
  };
}

function resolveFailure(protocols: Array<ProtocolScan & { unreachable?: HandshakeOutcome }>): Pick<TlsScan, 'error' | 'errorDetail'> {
  if (protocols.some((result) => result.accepted === true)) return { error: null, errorDetail: null };
  const unreachable = protocols.find((result) => result.unreachable)?.unreachable;
  if (unreachable?.kind === 'unreachable') return { error: unreachable.error, errorDetail: unreachable.detail };
  const tls12 = protocols.find((result) => result.protocol === 'TLSv1.2');
  return { error: 'handshake_failed', errorDetail: tls12?.detail ?? null };
}

/** Scan `host` on its HTTPS port: never throws for network trouble, reports it instead. */
export async function scanTls(host: string, options: TlsScanOptions): Promise<TlsScan> {
  const started = performance.now();
  const port = options.port ?? 443;
  const scan: TlsScan = {
    host: bounded(host, 253),
    port,
    addresses: [],
    refusedAddresses: [],
    address: null,
    error: null,
    errorDetail: null,
    protocols: [],
    handshakes: 0,
    durationMs: 0,
  };
  const done = () => ({ ...scan, durationMs: Math.round(performance.now() - started) });

  const lookup = await options.resolver.lookupAddresses(host);
  scan.addresses = lookup.addresses;
  if (lookup.failure) {
    scan.error = lookup.failure;
    return done();
  }
  for (const address of lookup.addresses) {
    try {
      assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
      scan.address ??= address;
    } catch (error) {
      if (!isAppError(error) || error.code !== 'target_refused') throw error;
      scan.refusedAddresses.push(address);
    }
  }
  if (scan.address === null) {
    scan.error = 'target_refused';
    scan.errorDetail = bounded(scan.refusedAddresses.join(', '), 256);
    return done();
  }

  const budget = AbortSignal.timeout(options.budgetMs ?? options.timeoutMs * 4);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const target: ProbeTarget = { address: scan.address, port, timeoutMs: options.timeoutMs, signal };
  const serverName = isIP(host) === 0 ? host : undefined;
  const gate = connectionGate(concurrency);
  const results: Array<ProtocolScan & { unreachable?: HandshakeOutcome }> = await Promise.all(
    protocolVersions.map((protocol) => (protocol === 'SSLv2' ? scanSslv2(gate, target) : scanProtocol(gate, target, protocol, serverName))),
  );
  Object.assign(scan, resolveFailure(results));
  scan.protocols = results.map(({ unreachable: _unreachable, ...result }) => result);
  scan.handshakes = gate.used;
  return done();
}
