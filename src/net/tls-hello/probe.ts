// One hand-built hello over a raw TCP connection: connect to the approved address, send the
// hello, read until the server's first answer is complete, hang up. Bounded in time and bytes;
// every failure is an outcome, never an exception.
import { connect } from 'node:net';
import { buildClientHello, buildSslv2ClientHello, type HelloOptions } from './client-hello.ts';
import { type HelloAnswer, maxResponseBytes, type ParseStep, parseSslv2Answer, parseTlsAnswer } from './server-hello.ts';

export type ProbeOutcome =
  | HelloAnswer
  | { kind: 'closed' }
  | { kind: 'timeout'; stage: 'connect' | 'answer' }
  | { kind: 'connection_refused' }
  | { kind: 'connection_failed'; code: string };

export interface ProbeTarget {
  /** An IP address that passed the address policy. */
  address: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

function exchange(target: ProbeTarget, hello: Buffer, parse: (received: Buffer) => ParseStep): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    if (target.signal?.aborted) {
      resolve({ kind: 'timeout', stage: 'connect' });
      return;
    }
    let received = Buffer.alloc(0);
    let connected = false;
    let settled = false;
    const socket = connect({ host: target.address, port: target.port, noDelay: true });
    const finish = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      target.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ kind: 'timeout', stage: connected ? 'answer' : 'connect' });
    target.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(onAbort, Math.max(1, target.timeoutMs));
    socket.once('connect', () => {
      connected = true;
      socket.write(hello);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk.subarray(0, maxResponseBytes + 1 - received.length)]);
      const step = parse(received);
      if (step.done) finish(step.answer);
      else if (received.length > maxResponseBytes) finish({ kind: 'malformed', reason: 'too_much_data' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = String(error.code ?? 'ERROR').slice(0, 64);
      if (code === 'ECONNREFUSED') finish({ kind: 'connection_refused' });
      // A reset after the hello is the server's way of saying no.
      else if (connected) finish({ kind: 'closed' });
      else finish({ kind: 'connection_failed', code });
    });
    socket.once('close', () => finish(connected ? { kind: 'closed' } : { kind: 'connection_failed', code: 'CLOSED' }));
  });
}

/** Offer `options.suites` in a hello of `options.protocol` and report what the server answered. */
export function probeHello(target: ProbeTarget, options: HelloOptions): Promise<ProbeOutcome> {
  return exchange(target, buildClientHello(options), parseTlsAnswer);
}

/** Offer SSLv2 cipher specs; an SSLv2 server answers with the specs it shares. */
export function probeSslv2(target: ProbeTarget, specs: number[]): Promise<ProbeOutcome> {
  return exchange(target, buildSslv2ClientHello(specs), parseSslv2Answer);
}
