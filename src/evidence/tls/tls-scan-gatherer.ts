// The gatherers for tls.protocols and tls.ciphers. Both come from one scan of the endpoint: when
// the two gatherers of one domain scan pass the same `shareKey` (the scan's gather context), the
// second reuses the first one's connections instead of probing the server twice.
import type { Evidence } from '../../checks/types.ts';
import { type TlsScan, type TlsScanOptions, scanTls } from './tls-scan.ts';
import {
  type CiphersEvidence,
  ciphersEvidenceKind,
  ciphersEvidenceSchema,
  type ProtocolsEvidence,
  protocolsEvidenceKind,
  protocolsEvidenceSchema,
} from './tls-scan-evidence.ts';

export interface TlsScanGatherOptions extends TlsScanOptions {
  /** Gatherers passing the same object share one scan. */
  shareKey?: object;
}

const sharedScans = new WeakMap<object, Map<string, Promise<TlsScan>>>();

function scanOnce(host: string, options: TlsScanGatherOptions): Promise<TlsScan> {
  const { shareKey, ...scanOptions } = options;
  if (!shareKey) return scanTls(host, scanOptions);
  let byEndpoint = sharedScans.get(shareKey);
  if (!byEndpoint) {
    byEndpoint = new Map();
    sharedScans.set(shareKey, byEndpoint);
  }
  const endpoint = `${host}:${options.port ?? 443}`;
  let scan = byEndpoint.get(endpoint);
  if (!scan) {
    scan = scanTls(host, scanOptions);
    byEndpoint.set(endpoint, scan);
  }
  return scan;
}

function connectionOf(scan: TlsScan) {
  const { host, port, addresses, refusedAddresses, address, error, errorDetail, handshakes, durationMs } = scan;
  return { host, port, addresses, refusedAddresses, address, error, errorDetail, handshakes, durationMs };
}

export function protocolsEvidenceOf(scan: TlsScan, gatheredAt = new Date()): Evidence<ProtocolsEvidence> {
  const data: ProtocolsEvidence = {
    ...connectionOf(scan),
    protocols: scan.protocols.map(({ protocol, accepted, via, detail }) => ({ protocol, accepted, via, detail })),
  };
  return { kind: protocolsEvidenceKind, gatheredAt: gatheredAt.toISOString(), data: protocolsEvidenceSchema.parse(data) };
}

export function ciphersEvidenceOf(scan: TlsScan, gatheredAt = new Date()): Evidence<CiphersEvidence> {
  const data: CiphersEvidence = {
    ...connectionOf(scan),
    protocols: scan.protocols.map(({ protocol, accepted, suites, complete }) => ({ protocol, accepted, suites, complete })),
  };
  return { kind: ciphersEvidenceKind, gatheredAt: gatheredAt.toISOString(), data: ciphersEvidenceSchema.parse(data) };
}

export async function gatherProtocolsEvidence(host: string, options: TlsScanGatherOptions): Promise<Evidence<ProtocolsEvidence>> {
  return protocolsEvidenceOf(await scanOnce(host, options));
}

export async function gatherCiphersEvidence(host: string, options: TlsScanGatherOptions): Promise<Evidence<CiphersEvidence>> {
  return ciphersEvidenceOf(await scanOnce(host, options));
}
