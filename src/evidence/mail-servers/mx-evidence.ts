// What the MX gatherer saw (mail.mx): the MX records, and for each MX host its addresses, one
// SMTP session (greeting, EHLO, STARTTLS, TLS), which TLS versions it accepts, and its TLSA
// records for DANE. Stored as JSONB; no I/O here (checks import this module, never the gatherer).
import { z } from 'zod';
import { smtpProbeFailures, type SmtpProbeFailure } from '../../net/smtp-failures.ts';
import { dnsOutcomeSchema } from './dns-facts.ts';

export const mxEvidenceKind = 'mail.mx';

const text = z.string().max(1024);
const hex = z.string().max(256);

/** Where an SMTP session stopped: the prober's own codes. */
export const smtpSessionFailures = smtpProbeFailures;
export type SmtpSessionFailure = SmtpProbeFailure;


export const tlsVersionNames = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersionName = (typeof tlsVersionNames)[number];

export const mxCertificateSchema = z.object({
  subject: text,
  issuer: text,
  subjectAltNames: z.array(z.string().max(256)).max(100),
  validFrom: z.iso.datetime(),
  validTo: z.iso.datetime(),
  fingerprintSha256: z.string().max(128),
  keyType: z.string().max(32).nullable(),
  keyBits: z.number().int().nonnegative().nullable(),
  selfSigned: z.boolean(),
  /** The certificate names the MX host (wildcards per RFC 6125). */
  hostnameMatches: z.boolean(),
});
export type MxCertificate = z.infer<typeof mxCertificateSchema>;

export const chainEntrySchema = z.object({
  subject: text,
  certSha256: hex,
  certSha512: hex,
  spkiSha256: hex,
  spkiSha512: hex,
});

export const versionProbeSchema = z.object({
  version: z.enum(tlsVersionNames),
  /** accepted: a handshake pinned to this version succeeded; refused: the handshake failed. */
  outcome: z.enum(['accepted', 'refused', 'error']),
  detail: z.string().max(256).nullable(),
});
export type VersionProbe = z.infer<typeof versionProbeSchema>;

export const smtpSessionSchema = z.object({
  address: z.string().max(64),
  greetingCode: z.number().int().nullable(),
  /** The first greeting line (bounded). */
  greeting: z.string().max(512).nullable(),
  extensions: z.array(z.string().max(64)).max(64),
  starttlsOffered: z.boolean(),
  /** Plaintext the server sent after its STARTTLS reply, before the handshake (should be 0). */
  bytesAfterStarttls: z.number().int().nonnegative(),
  failure: z.enum(smtpSessionFailures).nullable(),
  failureStage: z.enum(['connect', 'greeting', 'ehlo', 'starttls', 'tls']).nullable(),
  failureDetail: z.string().max(256).nullable(),
  durationMs: z.number().int().nonnegative(),
  tls: z
    .object({
      protocol: z.string().max(32).nullable(),
      cipher: z.string().max(128).nullable(),
      chainTrusted: z.boolean(),
      chainError: z.string().max(128).nullable(),
      certificate: mxCertificateSchema.nullable(),
      chain: z.array(chainEntrySchema).max(10),
    })
    .nullable(),
  /** Handshakes pinned to one version each; null when not probed. */
  versions: z.array(versionProbeSchema).max(4).nullable(),
});
export type SmtpSession = z.infer<typeof smtpSessionSchema>;

export const tlsaRecordSchema = z.object({
  usage: z.number().int().min(0).max(255),
  selector: z.number().int().min(0).max(255),
  matchingType: z.number().int().min(0).max(255),
  data: z.string().max(1024),
  dataSha256: hex,
});

export const mxHostSchema = z.object({
  name: z.string().max(253),
  preference: z.number().int().min(0).max(65535),
  addresses: z.array(z.string().max(64)).max(16),
  /** Addresses the address policy refused to connect to. */
  refusedAddresses: z.array(z.string().max(64)).max(16),
  /** `no_address`, or the DNS client's failure for both A and AAAA. */
  addressFailure: z.string().max(64).nullable(),
  sessions: z.array(smtpSessionSchema).max(4),
  tlsa: dnsOutcomeSchema
    .extend({
      records: z.array(tlsaRecordSchema).max(20),
      /** DNSSEC: true when the answer was validated (AD bit or validator), null when unknown. */
      secure: z.boolean().nullable(),
    })
    .nullable(),
});
export type MxHost = z.infer<typeof mxHostSchema>;

export const maxMxHosts = 10;

export const mxEvidenceSchema = z.object({
  domain: z.string().max(253),
  lookup: dnsOutcomeSchema,
  /** RFC 7505: a single MX `0 .` says the domain accepts no mail. */
  nullMx: z.boolean(),
  /** DNSSEC status of the MX answer; null when unknown. */
  mxSecure: z.boolean().nullable(),
  records: z.array(z.object({ preference: z.number().int().min(0).max(65535), exchange: z.string().max(253) })).max(50),
  hosts: z.array(mxHostSchema).max(maxMxHosts),
  /** More MX hosts existed than were probed. */
  truncated: z.boolean(),
});
export type MxEvidence = z.infer<typeof mxEvidenceSchema>;
