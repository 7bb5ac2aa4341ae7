// One bounded TCP (optionally TLS) conversation with a port: connect with a deadline, collect
// what the server sends into a capped buffer, write our request, wait for a predicate with a
// deadline. Every failure is a state, never an exception; the socket is always destroyed.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** What a connection attempt found: an open port, a refusal (closed), no answer (filtered). */
export type ConnectState = 'open' | 'closed' | 'filtered' | 'error';

export type WaitOutcome = 'matched' | 'timeout' | 'closed' | 'cap';

export interface ProbeSession {
  /** Everything received so far, at most `maxBytes`. */
  received(): Buffer;
  write(data: Buffer | string): void;
  /** Resolve when `done(received)` holds, the deadline passes, the peer closes or the cap is hit. */
  waitFor(done: (data: Buffer) => boolean, timeoutMs: number): Promise<WaitOutcome>;
  /** Resolve after `quietMs` without new bytes (or at the deadline / close). */
  waitQuiet(quietMs: number, timeoutMs: number): Promise<WaitOutcome>;
  /** Forget what was received (before the next request on the same connection). */
  reset(): void;
  readonly tls: boolean;
  isClosed(): boolean;
  close(): void;
}

export interface OpenOptions {
  connectTimeoutMs: number;
  maxBytes: number;
  /** Speak TLS after connecting (HTTPS admin pages); certificates are not judged here. */
  tls?: { servername?: string };
  signal?: AbortSignal;
}

export type OpenResult = { state: 'open'; session: ProbeSession } | { state: Exclude<ConnectState, 'open'>; detail: string };

function sessionOver(socket: Socket | TLSSocket, maxBytes: number, isTls: boolean): ProbeSession {
  let buffer = Buffer.alloc(0);
  let closed = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  socket.on('data', (chunk: Buffer) => {
    if (buffer.length < maxBytes) buffer = Buffer.concat([buffer, chunk.subarray(0, maxBytes - buffer.length)]);
    notify();
  });
  const markClosed = () => {
    closed = true;
    notify();
  };
  socket.on('close', markClosed);
  socket.on('end', markClosed);
  socket.on('error', markClosed);

  function waitUntil(check: () => WaitOutcome | undefined, timeoutMs: number, onData?: () => void): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      const immediate = check();
      if (immediate) return resolve(immediate);
      const finish = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(outcome);
      };
      const waiter = () => {
        onData?.();
        const outcome = check();
        if (outcome) finish(outcome);
      };
      const timer = setTimeout(() => finish('timeout'), Math.max(1, timeoutMs));
      waiters.add(waiter);
    });
  }

  return {
    received: () => buffer,
    write(data) {
      if (!closed) socket.write(data);
    },
    waitFor(done, timeoutMs) {
      return waitUntil(() => {
        if (done(buffer)) return 'matched';
        if (buffer.length >= maxBytes) return 'cap';
        if (closed) return 'closed';
        return undefined;
      }, timeoutMs);
    },
    waitQuiet(quietMs, timeoutMs) {
      return new Promise((resolve) => {
        const deadline = Date.now() + timeoutMs;
        let lastLength = buffer.length;
        const tick = () => {
          if (buffer.length >= maxBytes) return resolve('cap');
          if (closed) return resolve('closed');
          if (Date.now() >= deadline) return resolve('timeout');
          if (buffer.length === lastLength && buffer.length > 0) return resolve('matched');
          lastLength = buffer.length;
          setTimeout(tick, Math.max(1, Math.min(quietMs, deadline - Date.now())));
        };
        setTimeout(tick, Math.max(1, Math.min(quietMs, timeoutMs)));
      });
    },
    reset() {
      buffer = Buffer.alloc(0);
    },
    tls: isTls,
    isClosed: () => closed,
    close() {
      closed = true;
      socket.destroy();
      notify();
    },
  };
}

/** Connect to `address:port` (an IP the caller already cleared with the address policy). */
export function openSession(address: string, port: number, options: OpenOptions): Promise<OpenResult> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = netConnect({ host: address, port, noDelay: true });
    let tlsSocket: TLSSocket | undefined;
    const finish = (result: OpenResult) => {
      if (settled) {
        if (result.state === 'open') result.session.close();
        return;
      }
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      if (result.state !== 'open') {
        tlsSocket?.destroy();
        socket.destroy();
      }
      resolve(result);
    };
    const onAbort = () => finish({ state: 'error', detail: 'aborted' });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => {
      // No answer at all to the SYN is what a firewall that drops packets looks like.
      finish(tlsSocket ? { state: 'error', detail: 'tls_timeout' } : { state: 'filtered', detail: 'connect_timeout' });
    }, Math.max(1, options.connectTimeoutMs));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = String(error.code ?? 'ERROR').slice(0, 40);
      if (code === 'ECONNREFUSED') finish({ state: 'closed', detail: code });
      else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') finish({ state: 'filtered', detail: code });
      else finish({ state: 'error', detail: code });
    });
    socket.once('connect', () => {
      if (!options.tls) {
        finish({ state: 'open', session: sessionOver(socket, options.maxBytes, false) });
        return;
      }
      tlsSocket = tlsConnect({
        socket,
        servername: options.tls.servername,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      });
      tlsSocket.once('secureConnect', () => finish({ state: 'open', session: sessionOver(tlsSocket as TLSSocket, options.maxBytes, true) }));
      tlsSocket.once('error', (error: NodeJS.ErrnoException) => finish({ state: 'error', detail: `tls:${String(error.code ?? 'ERROR').slice(0, 40)}` }));
    });
  });
}
