// Exposure evidence built by hand for the pure check tests.
import type { ExposureEvidence, PortResultEvidence } from '../../src/evidence/exposure/exposure-evidence.ts';

export function port(number: number, fields: Partial<PortResultEvidence> = {}): PortResultEvidence {
  return { port: number, transport: 'tcp', state: 'closed', service: null, product: null, version: null, detail: {}, banner: null, connections: 1, durationMs: 1, ...fields };
}

export function exposure(ports: PortResultEvidence[], fields: Partial<ExposureEvidence> = {}): ExposureEvidence {
  return {
    domain: 'bakkerij.nl',
    hosts: [{ name: 'bakkerij.nl', addresses: ['203.0.113.10'], failure: null }],
    targets: [{ address: '203.0.113.10', names: ['bakkerij.nl'], ports }],
    refusedAddresses: [],
    complete: true,
    portsPerAddress: 23,
    durationMs: 1200,
    error: null,
    ...fields,
  };
}
