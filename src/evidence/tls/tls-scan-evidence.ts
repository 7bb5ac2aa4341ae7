// What the protocol and cipher suite scan of one HTTPS endpoint saw, as stored JSONB: two evidence
// kinds from one scan. No I/O here: checks import this module, never the scanner.
import { z } from 'zod';
import { protocolVersions } from '../../net/tls-hello/cipher-suites.ts';
import { gatherFailures } from './certificate-evidence.ts';

export const protocolsEvidenceKind = 'tls.protocols';
export const ciphersEvidenceKind = 'tls.ciphers';

const text = z.string().max(1024);
const protocol = z.enum(protocolVersions);

/** Where the scan connected, or why it could not; the same fields as tls.certificate evidence. */
const connectionShape = {
  host: text,
  port: z.number().int().min(1).max(65535),
  addresses: z.array(text).max(32),
  refusedAddresses: z.array(text).max(32),
  address: text.nullable(),
  error: z.enum(gatherFailures).nullable(),
  errorDetail: text.nullable(),
  /** Connections made (full handshakes plus hand-built hellos) and the time they took. */
  handshakes: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
};

export const protocolResultSchema = z.object({
  protocol,
  /** null: the server could not be asked (timeout, connection lost) — neither yes nor no. */
  accepted: z.boolean().nullable(),
  /** How acceptance was seen: a full handshake by Node, or a ServerHello to a hand-built hello. */
  via: z.enum(['handshake', 'hello']).nullable(),
  /** What the server said when it refused (`alert 70`, `closed`, `ERR_SSL_…`). */
  detail: text.nullable(),
});
export type ProtocolResult = z.infer<typeof protocolResultSchema>;

export const protocolsEvidenceSchema = z.object({
  ...connectionShape,
  protocols: z.array(protocolResultSchema).max(protocolVersions.length),
});
export type ProtocolsEvidence = z.infer<typeof protocolsEvidenceSchema>;

export const acceptedSuiteSchema = z.object({
  /** Hex code: `c02f`, or `0700c0` for an SSLv2 cipher spec. */
  code: z.string().regex(/^([0-9a-f]{4}|[0-9a-f]{6})$/),
  name: z.string().max(128),
});
export type AcceptedSuite = z.infer<typeof acceptedSuiteSchema>;

export const protocolSuitesSchema = z.object({
  protocol,
  accepted: z.boolean().nullable(),
  /** In the order the server chose them: its preference when it enforces one. */
  suites: z.array(acceptedSuiteSchema).max(512),
  /** False when time, the probe budget or a misbehaving server cut the enumeration short. */
  complete: z.boolean(),
});
export type ProtocolSuites = z.infer<typeof protocolSuitesSchema>;

export const ciphersEvidenceSchema = z.object({
  ...connectionShape,
  protocols: z.array(protocolSuitesSchema).max(protocolVersions.length),
});
export type CiphersEvidence = z.infer<typeof ciphersEvidenceSchema>;
