// Scan one address: connect to each port of the catalogue (at most `maxConcurrent` sockets to
// the address at once, new connections spaced out, shared with every other scan in this
// process), and identify whatever answers. A port never reached before the budget ran out is
// `skipped`, so an incomplete scan is visible as such.
import { type PortSpec, riskyTcpPorts } from './catalogue.ts';
import { identifyService } from './identify.ts';
import { openSession, type ProbeSession } from './session.ts';
import { defaultThrottleLimits, type ThrottleLimits, withAddressSlot } from './throttle.ts';
import type { DetailValue, ServiceId } from './types.ts';

export type PortState = 'open' | 'closed' | 'filtered' | 'error' | 'skipped';

export interface PortResult {
  port: number;
  transport: 'tcp';
  state: PortState;
  service: ServiceId | null;
  product: string | null;
  version: string | null;
  detail: Record<string, DetailValue>;
  /** What an unrecognised server sent unasked. */
  banner: string | null;
  /** Connections made to this port. */
  connections: number;
  durationMs: number;
}

export interface PortScanOptions {
  /** The name the address belongs to: Host header and SNI. */
  host: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Aborts the scan: ports not yet started become `skipped`. */
  signal?: AbortSignal;
  limits?: ThrottleLimits;
  ports?: readonly PortSpec[];
  /** Called for every TCP connection attempt, for tests and metrics. */
  onConnect?: (address: string, port: number) => void;
}

/** The most bytes kept from one conversation. */
const maxBytes = 64 * 1024;

function result(port: number, state: PortState, startedAt: number, fields: Partial<PortResult> = {}): PortResult {
  return {
    port,
    transport: 'tcp',
    state,
    service: null,
    product: null,
    version: null,
    detail: {},
    banner: null,
    connections: 0,
    durationMs: Date.now() - startedAt,
    ...fields,
  };
}

async function scanPort(address: string, spec: PortSpec, options: PortScanOptions): Promise<PortResult> {
  const startedAt = Date.now();
  const open = async (tls: boolean): Promise<ProbeSession | undefined> => {
    options.onConnect?.(address, spec.port);
    const outcome = await openSession(address, spec.port, {
      connectTimeoutMs: options.connectTimeoutMs,
      maxBytes,
      signal: options.signal,
      tls: tls ? { servername: /^[0-9.:]+$/.test(options.host) ? undefined : options.host } : undefined,
    });
    return outcome.state === 'open' ? outcome.session : undefined;
  };
  options.onConnect?.(address, spec.port);
  const first = await openSession(address, spec.port, { connectTimeoutMs: options.connectTimeoutMs, maxBytes, signal: options.signal });
  if (first.state !== 'open') {
    const state = first.detail === 'aborted' ? 'skipped' : first.state;
    return result(spec.port, state, startedAt, { connections: 1, detail: state === 'error' ? { reason: first.detail } : {} });
  }
  const outcome = await identifyService(first.session, spec, { host: options.host, readTimeoutMs: options.readTimeoutMs }, open).catch(() => ({
    identification: null,
    banner: null,
    connections: 1,
  }));
  const identification = outcome.identification;
  return result(spec.port, 'open', startedAt, {
    service: identification?.service ?? null,
    product: identification?.product ?? null,
    version: identification?.version ?? null,
    detail: identification?.detail ?? {},
    banner: outcome.banner,
    connections: outcome.connections,
  });
}

export async function scanAddress(address: string, options: PortScanOptions): Promise<PortResult[]> {
  const ports = options.ports ?? riskyTcpPorts;
  const limits = options.limits ?? defaultThrottleLimits;
  return Promise.all(
    ports.map((spec) =>
      withAddressSlot(address, () => scanPort(address, spec, options), { limits, signal: options.signal }).catch(() =>
        result(spec.port, 'skipped', Date.now()),
      ),
    ),
  );
}
