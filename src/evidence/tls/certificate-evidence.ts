// What the TLS certificate gatherer saw, as stored JSONB. No I/O here: checks import this
// module, never the gatherer.
import { z } from 'zod';
import type { Evidence } from '../../checks/types.ts';

export const certificateEvidenceKind = 'tls.certificate';

/** Why no certificate could be fetched; a stable code, translated as `checks.reason.<code>`. */
export const gatherFailures = [
  'no_address',
  'dns_timeout',
  'dns_failure',
  'target_refused',
  'connection_refused',
  'connection_failed',
  'timeout',
  'handshake_failed',
] as const;
export type GatherFailure = (typeof gatherFailures)[number];

const text = z.string().max(1024);

export const certificateDetailsSchema = z.object({
  subject: text,
  issuer: text,
  /** DNS names and IP addresses from subjectAltName, e.g. `DNS:www.example.nl`. */
  subjectAltNames: z.array(text).max(1000),
  serialNumber: text,
  validFrom: z.iso.datetime(),
  validTo: z.iso.datetime(),
  fingerprintSha256: text,
  /** `rsa`, `ec`, `ed25519`, … */
  keyType: text.nullable(),
  keyBits: z.number().int().nonnegative().nullable(),
  keyCurve: text.nullable(),
  signatureAlgorithm: text.nullable(),
  selfSigned: z.boolean(),
  /** AIA "CA Issuers" URLs: where the issuer's certificate can be fetched (absent in old evidence). */
  caIssuers: z.array(text).max(10).optional(),
});
export type CertificateDetails = z.infer<typeof certificateDetailsSchema>;

export const chainCertificateSchema = z.object({
  subject: text,
  issuer: text,
  fingerprintSha256: text.optional(),
  selfSigned: z.boolean().optional(),
  signatureAlgorithm: text.nullable().optional(),
  keyType: text.nullable().optional(),
  keyBits: z.number().int().nonnegative().nullable().optional(),
});
export type ChainCertificate = z.infer<typeof chainCertificateSchema>;

export const tlsSessionSchema = z.object({
  protocol: text.nullable(),
  cipher: text.nullable(),
  /** The chain verified against the trusted CA set (bundled + NODE_EXTRA_CA_CERTS + extra). */
  chainTrusted: z.boolean(),
  /** OpenSSL's reason when the chain is not trusted, e.g. `CERT_HAS_EXPIRED`. */
  chainError: text.nullable(),
  hostnameMatches: z.boolean(),
  hostnameError: text.nullable(),
  certificate: certificateDetailsSchema,
  /**
   * Subjects from the leaf up to the last certificate the chain led to, through the certificates
   * the server sent and then the trusted store. The optional facts were added later.
   */
  chain: z.array(chainCertificateSchema).max(20),
  /**
   * The certificates the server itself sent, linked from the leaf (a handshake with an empty
   * trust store shows them apart from the store's). Absent in old evidence, null when that
   * handshake failed.
   */
  sentChain: z.array(chainCertificateSchema).max(20).nullable().optional(),
});
export type TlsSession = z.infer<typeof tlsSessionSchema>;

export const certificateEvidenceSchema = z.object({
  host: text,
  port: z.number().int().min(1).max(65535),
  /** Every address DNS gave, IPv4 first. */
  addresses: z.array(text).max(32),
  /** Addresses the address policy refused to connect to. */
  refusedAddresses: z.array(text).max(32),
  /** The address the handshake went to, when one was tried. */
  address: text.nullable(),
  error: z.enum(gatherFailures).nullable(),
  /** Low-level code behind `error` (`ECONNRESET`, `ERR_SSL_…`), for the person who fixes it. */
  errorDetail: text.nullable(),
  tls: tlsSessionSchema.nullable(),
});
export type CertificateEvidence = z.infer<typeof certificateEvidenceSchema>;

export function isCertificateEvidence(evidence: Evidence): evidence is Evidence<CertificateEvidence> {
  return evidence.kind === certificateEvidenceKind && certificateEvidenceSchema.safeParse(evidence.data).success;
}
