// Evidence builders for the TLS check tests: a scan result with only the fields a test cares about.
import type { CiphersEvidence, ProtocolsEvidence } from '../../evidence/tls/tls-scan-evidence.ts';
import { protocolVersions } from '../../net/tls-hello/cipher-suites.ts';
import { ciphersEvidenceSchema, protocolsEvidenceSchema } from '../../evidence/tls/tls-scan-evidence.ts';
import { suiteName } from '../../net/tls-hello/cipher-suites.ts';

const connection = {
  host: 'www.bakkerij.nl',
  port: 443,
  addresses: ['145.100.1.1'],
  refusedAddresses: [],
  address: '145.100.1.1',
  error: null,
  errorDetail: null,
  handshakes: 20,
  durationMs: 150,
};

export function protocolsEvidence(accepted: string[], overrides: Partial<ProtocolsEvidence> = {}): ProtocolsEvidence {
  return protocolsEvidenceSchema.parse({
    ...connection,
    protocols: protocolVersions.map((protocol) => ({ protocol, accepted: accepted.includes(protocol), via: accepted.includes(protocol) ? 'handshake' : null, detail: null })),
    ...overrides,
  });
}

/** `{ 'TLSv1.2': ['c02f'] }`: the suites accepted per protocol, by code. */
export function ciphersEvidence(suites: Record<string, string[]>, overrides: Partial<CiphersEvidence> = {}, incomplete: string[] = []): CiphersEvidence {
  return ciphersEvidenceSchema.parse({
    ...connection,
    protocols: protocolVersions.map((protocol) => ({
      protocol,
      accepted: (suites[protocol]?.length ?? 0) > 0,
      suites: (suites[protocol] ?? []).map((code) => ({ code, name: suiteName(code) })),
      complete: !incomplete.includes(protocol),
    })),
    ...overrides,
  });
}

export const now = new Date('2026-06-01T12:00:00.000Z');
