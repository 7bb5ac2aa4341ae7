// Gather the exposed services of a domain: the A/AAAA addresses of the domain and of www, each
// cleared by the address policy, each scanned over the curated risky ports with the services
// identified by their own protocol. An ACTIVE gatherer: it runs only for verified or attested
// domains. Bounded: per-IP socket and connection-rate limits (shared process-wide), connect and
// read timeouts, at most `maxAddresses` addresses, and a time budget after which the remaining
// ports are recorded as `skipped`. Besides the TCP ports, UDP 161 is asked for SNMP with the
// default community (src/net/port-probe/snmp.ts), under the same per-IP limits.
import type { Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import { assertTargetAllowed } from '../../net/address-policy.ts';
import { type PortSpec, riskyTcpPorts } from '../../net/port-probe/catalogue.ts';
import { type PortResult, scanAddress } from '../../net/port-probe/scan-ports.ts';
import { probeSnmp, snmpPort, type UdpPortResult } from '../../net/port-probe/snmp.ts';
import { type ThrottleLimits, withAddressSlot } from '../../net/port-probe/throttle.ts';
import type { Resolver } from '../../net/resolver.ts';
import { type ExposureEvidence, exposureEvidenceKind, exposureEvidenceSchema, type PortResultEvidence } from './exposure-evidence.ts';

export interface ExposureGatherOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  /** Upper bound of one network step; connect and read timeouts never exceed it (nor 3 s). */
  timeoutMs: number;
  /** The whole scan's deadline. */
  signal?: AbortSignal;
  /** Budget for this gatherer; by default 9 network steps, at most 45 s. */
  budgetMs?: number;
  ports?: readonly PortSpec[];
  /** Probe UDP 161 for SNMP too (default true). */
  snmp?: boolean;
  limits?: ThrottleLimits;
  /** Called for every TCP connection attempt and every UDP datagram sent. */
  onConnect?: (address: string, port: number) => void;
}

export const maxAddresses = 4;
const maxStepMs = 3000;

/** Keep evidence within its schema whatever a hostile server said. */
function boundedPort(port: PortResult | UdpPortResult): PortResultEvidence {
  const detail: PortResultEvidence['detail'] = {};
  for (const [key, value] of Object.entries(port.detail).slice(0, 24)) {
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    detail[key.slice(0, 64)] = typeof value === 'string' ? value.slice(0, 512) : value;
  }
  return {
    ...port,
    product: port.product?.slice(0, 64) ?? null,
    version: port.version?.slice(0, 64) ?? null,
    banner: port.banner?.slice(0, 400) ?? null,
    detail,
    connections: Math.min(port.connections, 10),
  };
}

export async function gatherExposureEvidence(domain: string, options: ExposureGatherOptions): Promise<Evidence<ExposureEvidence>> {
  const started = Date.now();
  const ports = options.ports ?? riskyTcpPorts;
  const snmp = options.snmp ?? true;
  const data: ExposureEvidence = {
    domain,
    hosts: [],
    targets: [],
    refusedAddresses: [],
    complete: true,
    portsPerAddress: ports.length + (snmp ? 1 : 0),
    durationMs: 0,
    error: null,
  };
  const names = [domain, `www.${domain}`];
  const lookups = await Promise.all(names.map((name) => options.resolver.lookupAddresses(name)));
  const namesByAddress = new Map<string, string[]>();
  lookups.forEach((lookup, index) => {
    const name = names[index] as string;
    data.hosts.push({ name, addresses: lookup.addresses.slice(0, 16), failure: lookup.failure === undefined || lookup.addresses.length > 0 ? null : lookup.failure });
    for (const address of lookup.addresses) namesByAddress.set(address, [...(namesByAddress.get(address) ?? []), name]);
  });

  const allowed: string[] = [];
  for (const address of namesByAddress.keys()) {
    try {
      assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
      if (allowed.length < maxAddresses) allowed.push(address);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'target_refused') throw error;
      data.refusedAddresses.push(address.slice(0, 64));
    }
  }
  if (allowed.length === 0) {
    const failure = data.hosts.find((host) => host.failure === 'dns_timeout' || host.failure === 'dns_failure')?.failure;
    data.error = data.refusedAddresses.length > 0 ? 'target_refused' : (failure ?? 'no_address');
  } else {
    const stepMs = Math.max(50, Math.min(options.timeoutMs, maxStepMs));
    const budget = AbortSignal.timeout(options.budgetMs ?? Math.min(45_000, options.timeoutMs * 9));
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
    const results = await Promise.all(
      allowed.map(async (address) => {
        const hostNames = namesByAddress.get(address) ?? [domain];
        // Queued before the TCP ports so that a silent UDP port waits alongside them, not after.
        const snmpResult = snmp
          ? withAddressSlot(address, () => probeSnmp(address, { readTimeoutMs: stepMs, signal, onSend: options.onConnect }), { limits: options.limits, signal }).catch(
              (): UdpPortResult => ({ port: snmpPort, transport: 'udp', state: 'skipped', service: null, product: null, version: null, detail: {}, banner: null, connections: 0, durationMs: 0 }),
            )
          : undefined;
        const scanned: Array<PortResult | UdpPortResult> = await scanAddress(address, {
          host: hostNames[0] as string,
          connectTimeoutMs: stepMs,
          readTimeoutMs: stepMs,
          signal,
          ports,
          limits: options.limits,
          onConnect: options.onConnect,
        });
        if (snmpResult) scanned.push(await snmpResult);
        return { address, names: hostNames, ports: scanned };
      }),
    );
    data.targets = results.map((target) => ({
      address: target.address,
      names: target.names,
      ports: target.ports.map(boundedPort),
    }));
    data.complete = data.targets.every((target) => target.ports.every((port) => port.state !== 'skipped'));
  }
  data.durationMs = Date.now() - started;
  return { kind: exposureEvidenceKind, gatheredAt: new Date().toISOString(), data: exposureEvidenceSchema.parse(data) };
}
