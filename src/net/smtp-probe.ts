// A small, strictly bounded SMTP client that only looks: connect, read the 220 greeting, EHLO,
// STARTTLS, TLS handshake (SNI = the MX name), record what the server offered and presented,
// QUIT. It never sends MAIL FROM, RCPT TO or DATA.
//
// Why hand-written and not nodemailer: nodemailer is a sender. It hides the greeting, the EHLO
// extensions and the TLS failure reasons, cannot pin TLS versions per attempt, and has no caps
// on reply size. A prober talking to hostile servers (endless greeting, a server that never
// answers EHLO, garbage, gigantic lines) needs a cap on every line, every reply and every
// session, and a reason for each way it stops; that is less code written here than wrapped.
//
// The connection goes to exactly the IP address the caller resolved; it is checked against the
// address policy again here (deny by default), and no name is ever resolved in this module.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type SecureVersion, type TLSSocket } from 'node:tls';
import { isAppError } from '../errors.ts';
import { assertTargetAllowed } from './address-policy.ts';
import { clientSecureContext } from './trust-store.ts';
import { smtpProbeFailures, type SmtpProbeFailure } from './smtp-failures.ts';

export { smtpProbeFailures, type SmtpProbeFailure };


export type SmtpStage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'tls';

export interface SmtpReply {
  code: number;
  /** The reply's text lines without the code, each bounded. */
  lines: string[];
}

export interface SmtpTlsResult {
  protocol: string | null;
  cipher: string | null;
  /** The chain verified against Node's CA set plus extraCa (names are judged separately). */
  chainTrusted: boolean;
  chainError: string | null;
  /** DER of the certificates the server presented, leaf first (at most `maxChain`). */
  chain: Buffer[];
}

export interface SmtpProbeResult {
  address: string;
  port: number;
  serverName: string;
  greeting: SmtpReply | null;
  ehlo: SmtpReply | null;
  /** EHLO keywords, uppercase (`STARTTLS`, `SIZE`, `PIPELINING`, …). */
  extensions: string[];
  starttlsOffered: boolean;
  starttlsReply: SmtpReply | null;
  /** Bytes the server sent after its STARTTLS reply and before the handshake (a STARTTLS injection flaw). */
  bytesAfterStarttls: number;
  tls: SmtpTlsResult | null;
  failure: SmtpProbeFailure | null;
  failureStage: SmtpStage | null;
  /** Low-level reason behind `failure` (`ECONNRESET`, an OpenSSL code), bounded. */
  failureDetail: string | null;
  durationMs: number;
}

export interface SmtpProbeOptions {
  /** The IP address to connect to; checked against the address policy before connecting. */
  address: string;
  port?: number;
  /** The MX host name: SNI and the name the certificate is judged against. */
  serverName: string;
  allowPrivate: boolean;
  /** Bound for each step (connect, greeting, EHLO reply, STARTTLS reply, handshake). */
  stepTimeoutMs: number;
  /** Bound for the whole session; default four steps. */
  sessionTimeoutMs?: number;
  /** The name we introduce ourselves with in EHLO. */
  heloName?: string;
  extraCa?: string[];
  /** Pin the TLS versions offered (probing which versions a server accepts). */
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** Keep the certificate chain (default true; version probes do not need it). */
  collectChain?: boolean;
  signal?: AbortSignal;
}

export const defaultHeloName = 'scanner.cybermonitor.invalid';
export const maxLineBytes = 2048;
export const maxReplyLines = 64;
/** Everything read in plain text over the whole session. */
export const maxPlainBytes = 32 * 1024;
export const maxChain = 10;

const bounded = (value: unknown, max = 256): string => String(value ?? '').slice(0, max);

class ProbeStop extends Error {
  readonly failure: SmtpProbeFailure;
  readonly detail: string | null;
  constructor(failure: SmtpProbeFailure, detail: string | null = null) {
    super(failure);
    this.failure = failure;
    this.detail = detail;
  }
}

/**
 * Reads SMTP replies from a plain socket with caps on line length, lines per reply and bytes in
 * total. Lines may end in CRLF or a bare LF (lenient, as real servers are sloppy).
 */
class ReplyReader {
  private buffer = Buffer.alloc(0);
  private total = 0;
  private waiter: (() => void) | undefined;
  private ended: ProbeStop | undefined;
  private readonly socket: Socket;
  private readonly onData = (chunk: Buffer) => {
    const room = maxPlainBytes - this.total;
    this.total += chunk.length;
    // Keep what fits, so a line that is too long is still reported as such.
    if (room > 0) this.buffer = Buffer.concat([this.buffer, chunk.subarray(0, room)]);
    if (this.total > maxPlainBytes) this.ended ??= new ProbeStop('reply_too_large', `${this.total} bytes`);
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended ??= new ProbeStop('connection_closed');
    this.wake();
  };

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Stop reading and hand back whatever arrived unread. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  private takeLine(): string | undefined {
    const newline = this.buffer.indexOf(0x0a);
    if (newline === -1) {
      if (this.buffer.length > maxLineBytes) throw new ProbeStop('line_too_long', `${this.buffer.length} bytes`);
      return undefined;
    }
    if (newline > maxLineBytes) throw new ProbeStop('line_too_long', `${newline} bytes`);
    const line = this.buffer.subarray(0, newline).toString('latin1').replace(/\r$/, '');
    this.buffer = this.buffer.subarray(newline + 1);
    return line;
  }

  async reply(): Promise<SmtpReply> {
    const lines: string[] = [];
    let code: number | undefined;
    for (;;) {
      const line = this.takeLine();
      if (line === undefined) {
        if (this.ended) throw this.ended;
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
        continue;
      }
      const match = /^([2-5]\d\d)([ -]|$)(.*)$/.exec(line);
      if (!match) throw new ProbeStop('protocol_error', bounded(JSON.stringify(line), 120));
      const lineCode = Number(match[1]);
      if (code !== undefined && lineCode !== code) throw new ProbeStop('protocol_error', `code ${lineCode} after ${code}`);
      code = lineCode;
      lines.push(bounded(match[3], 512));
      if (match[2] !== '-') return { code, lines };
      if (lines.length >= maxReplyLines) throw new ProbeStop('reply_too_large', `${lines.length} lines`);
    }
  }
}

/** Runs `work` with a deadline; on expiry the socket is destroyed and the probe stops with a timeout. */
function withDeadline<T>(work: Promise<T>, ms: number, onExpiry: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onExpiry();
      reject(new ProbeStop('timeout'));
    }, Math.max(1, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function chainOf(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = socket.getPeerCertificate(true);
  while (current?.raw && chain.length < maxChain && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(Buffer.from(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * One SMTP session against one address. Never throws for anything the server does: every
 * way it ends is a `failure` with the stage it happened in.
 */
export async function probeSmtp(options: SmtpProbeOptions): Promise<SmtpProbeResult> {
  const started = Date.now();
  const port = options.port ?? 25;
  const result: SmtpProbeResult = {
    address: bounded(options.address, 64),
    port,
    serverName: bounded(options.serverName, 253),
    greeting: null,
    ehlo: null,
    extensions: [],
    starttlsOffered: false,
    starttlsReply: null,
    bytesAfterStarttls: 0,
    tls: null,
    failure: null,
    failureStage: null,
    failureDetail: null,
    durationMs: 0,
  };
  const finish = (stage: SmtpStage | null, stop?: ProbeStop): SmtpProbeResult => {
    if (stop) {
      result.failure = stop.failure;
      result.failureStage = stage;
      result.failureDetail = stop.detail === null ? null : bounded(stop.detail);
    }
    result.durationMs = Date.now() - started;
    return result;
  };

  try {
    assertTargetAllowed(options.address, { allowPrivate: options.allowPrivate });
  } catch (error) {
    if (isAppError(error) && error.code === 'target_refused') return finish('connect', new ProbeStop('target_refused', result.address));
    throw error;
  }
  if (options.signal?.aborted) return finish('connect', new ProbeStop('aborted'));

  const step = Math.max(1, options.stepTimeoutMs);
  const sessionDeadline = started + (options.sessionTimeoutMs ?? step * 4);
  const stepMs = () => Math.max(1, Math.min(step, sessionDeadline - Date.now()));

  let stage: SmtpStage = 'connect';
  let plain: Socket | undefined;
  let secure: TLSSocket | undefined;
  const destroy = () => {
    secure?.destroy();
    plain?.destroy();
  };
  // A failure that arrives as a socket event while no step is waiting is kept for the next step.
  let socketError: ProbeStop | undefined;
  const onAbort = () => destroy();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    plain = netConnect({ host: options.address, port, noDelay: true });
    const socket = plain;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = bounded(error.code ?? error.message, 128);
      socketError ??= new ProbeStop(code === 'ECONNREFUSED' ? 'connection_refused' : stage === 'connect' ? 'connection_failed' : 'connection_closed', code);
    });
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => reject(socketError ?? new ProbeStop('connection_failed')));
      }),
      stepMs(),
      destroy,
    );

    const reader = new ReplyReader(socket);
    const readReply = async () => {
      try {
        return await withDeadline(reader.reply(), stepMs(), destroy);
      } catch (error) {
        if (options.signal?.aborted) throw new ProbeStop('aborted');
        if (error instanceof ProbeStop && error.failure === 'connection_closed' && socketError) throw socketError;
        throw error;
      }
    };
    const send = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };

    stage = 'greeting';
    result.greeting = await readReply();
    if (result.greeting.code !== 220) {
      send('QUIT');
      return finish(stage, new ProbeStop('greeting_rejected', String(result.greeting.code)));
    }

    stage = 'ehlo';
    send(`EHLO ${options.heloName ?? defaultHeloName}`);
    result.ehlo = await readReply();
    if (result.ehlo.code !== 250) {
      send('QUIT');
      return finish(stage, new ProbeStop('ehlo_rejected', String(result.ehlo.code)));
    }
    result.extensions = result.ehlo.lines
      .slice(1)
      .map((line) => bounded(line.trim().split(/\s+/)[0]?.toUpperCase(), 64))
      .filter((keyword) => /^[A-Z0-9][A-Z0-9-]*$/.test(keyword));
    result.starttlsOffered = result.extensions.includes('STARTTLS');
    if (!result.starttlsOffered) {
      send('QUIT');
      return finish(stage, new ProbeStop('starttls_not_offered'));
    }

    stage = 'starttls';
    send('STARTTLS');
    result.starttlsReply = await readReply();
    if (result.starttlsReply.code !== 220) {
      send('QUIT');
      return finish(stage, new ProbeStop('starttls_rejected', String(result.starttlsReply.code)));
    }
    // Bytes already waiting here were sent before the handshake: they must never be read as
    // part of the encrypted session. Count them (a flaw worth reporting) and drop them.
    result.bytesAfterStarttls = reader.detach().length;

    stage = 'tls';
    const collect = options.collectChain ?? true;
    secure = tlsConnect({
      socket,
      servername: isIP(options.serverName) ? undefined : options.serverName,
      secureContext: clientSecureContext({
        trust: 'default',
        extraCa: options.extraCa ?? [],
        minVersion: options.minVersion ?? 'TLSv1',
        maxVersion: options.maxVersion ?? 'TLSv1.3',
      }),
      // Look at whatever the server presents; trust and names are judged, not enforced, here.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const tlsSocket = secure;
    tlsSocket.on('error', () => {});
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        tlsSocket.once('secureConnect', () => resolve());
        tlsSocket.once('error', (error: NodeJS.ErrnoException) => reject(new ProbeStop('handshake_failed', bounded(error.code ?? error.message, 128))));
        tlsSocket.once('close', () => reject(new ProbeStop('handshake_failed', 'CLOSED')));
      }),
      stepMs(),
      destroy,
    );
    result.tls = {
      protocol: tlsSocket.getProtocol() ?? null,
      cipher: tlsSocket.getCipher()?.name ?? null,
      chainTrusted: tlsSocket.authorized,
      chainError: tlsSocket.authorized ? null : bounded(tlsSocket.authorizationError ?? 'UNKNOWN', 128),
      chain: collect ? chainOf(tlsSocket) : [],
    };
    // Polite end; no need to wait for the 221.
    tlsSocket.end('QUIT\r\n');
    return finish(null);
  } catch (error) {
    if (options.signal?.aborted) return finish(stage, new ProbeStop('aborted'));
    if (error instanceof ProbeStop) return finish(stage, error);
    return finish(stage, new ProbeStop('protocol_error', bounded((error as Error)?.message, 128)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Give the QUIT a moment to leave, then make sure nothing stays open.
    const last = secure ?? plain;
    if (last && !last.destroyed) setTimeout(() => destroy(), 200).unref();
    else destroy();
  }
}
