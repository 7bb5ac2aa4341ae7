// What the web gatherer saw of a domain's website, as stored JSONB: the same requests the MDN
// HTTP Observatory's retriever makes (http:// and https:// home pages with their redirect
// chains, /robots.txt, a CORS preflight) and the facts about the home page's HTML that grading
// needs. No I/O here: checks import this module, never the gatherer.
import { z } from 'zod';
import { fetchFailures, type FetchFailure } from '../../net/http-failures.ts';
import type { Evidence } from '../../checks/types.ts';

export const webHttpEvidenceKind = 'web.http';

/** The Origin our CORS preflight claims to come from; a name that can never be anyone's. */
export const corsProbeOrigin = 'https://cors-probe.cybermonitor.invalid';

const text = (max = 2048) => z.string().max(max);

/** Why a request got no response (the HTTP client's reasons); translated as `checks.web.reason.<code>`. */
export const webFetchFailures = fetchFailures;
export type WebFetchFailure = FetchFailure;


export const tlsDetailsSchema = z.object({
  protocol: text(64).nullable(),
  cipher: text(128).nullable(),
  verified: z.boolean(),
  verifyError: text(128).nullable(),
});

export const maxHeadersPerResponse = 200;
export const maxHeaderValueLength = 8192;

export const exchangeSchema = z.object({
  url: text(),
  method: z.enum(['GET', 'HEAD', 'OPTIONS']),
  address: text(64),
  status: z.number().int().min(0).max(999),
  /** Lowercased names in arrival order, repeated headers kept. */
  headers: z.array(z.tuple([text(256), text(maxHeaderValueLength)])).max(maxHeadersPerResponse),
  bodyTruncated: z.boolean(),
  bodyProblem: z.enum(['too_large', 'timeout', 'connection_lost', 'decoding_failed', 'unsupported_encoding']).nullable(),
  bodyBytes: z.number().int().nonnegative(),
  tls: tlsDetailsSchema.nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type StoredExchange = z.infer<typeof exchangeSchema>;

export const chainSchema = z.object({
  /** The URL asked for first. */
  url: text(),
  /** Every response, redirects included (at most 10 redirects plus the last answer). */
  hops: z.array(exchangeSchema).max(12),
  error: z.enum(webFetchFailures).nullable(),
  errorDetail: text(256).nullable(),
  errorUrl: text().nullable(),
  refusedAddresses: z.array(text(64)).max(16),
});
export type StoredChain = z.infer<typeof chainSchema>;

export const htmlFactsSchema = z.object({
  scripts: z
    .array(
      z.object({
        src: text().nullable(),
        resolvedSrc: text(),
        integrity: text().nullable(),
        crossorigin: text().nullable(),
      }),
    )
    .max(500),
  scriptCount: z.number().int().nonnegative(),
  metas: z.array(z.object({ httpEquiv: text().nullable(), name: text().nullable(), content: text().nullable() })).max(100),
  baseHref: text().nullable(),
  /** Only part of the page was parsed: over 1 MB, or nested deeper than any real page. */
  cut: z.enum(['size', 'nesting']).optional(),
});

export const pageSchema = z.object({
  /** Which home page the facts come from: https when that answered, else http (as the Observatory chooses). */
  scheme: z.enum(['https', 'http']),
  url: text(),
  status: z.number().int().min(0).max(999),
  contentType: text(256).nullable(),
  bodyBytes: z.number().int().nonnegative(),
  bodyTruncated: z.boolean(),
  /** Parsed when the response claims to be HTML; null otherwise. */
  html: htmlFactsSchema.nullable(),
});
export type StoredPage = z.infer<typeof pageSchema>;

export const webHttpEvidenceSchema = z.object({
  host: text(253),
  /** GET http://host/ and where it led. */
  http: chainSchema,
  /** GET https://host/ and where it led. */
  https: chainSchema,
  /** GET /robots.txt on the site the page came from (cookies a crawler is given count too). */
  robots: chainSchema.nullable(),
  /** OPTIONS preflight with `Origin: corsOrigin` to the page's final URL. */
  cors: chainSchema.nullable(),
  corsOrigin: text(256),
  page: pageSchema.nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type WebHttpEvidence = z.infer<typeof webHttpEvidenceSchema>;

export function isWebHttpEvidence(evidence: Evidence): evidence is Evidence<WebHttpEvidence> {
  return evidence.kind === webHttpEvidenceKind && webHttpEvidenceSchema.safeParse(evidence.data).success;
}

/** The values of a header in a stored response, in arrival order (name in lowercase). */
export function storedHeaderValues(exchange: Pick<StoredExchange, 'headers'> | null | undefined, name: string): string[] {
  if (!exchange) return [];
  return exchange.headers.filter(([key]) => key === name).map(([, value]) => value);
}

// ---------------------------------------------------------------------------------------------
// How the MDN Observatory's retriever turns a chain into a "session" (src/retriever/session.js):
// it follows redirects itself with certificate checks on; on a certificate error it starts the
// chain again without them and marks the session unverified; any other failure leaves it
// without a response. After 10 redirects it takes the 11th answer as it is.

/** Certificate errors that make the Observatory retry unverified (its CERT_ERROR_CODES). */
export const observatoryCertificateErrors: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface SessionView {
  /** The answer the chain ended on; null when the session failed. */
  response: StoredExchange | null;
  /** Every answer in the chain (the Observatory's redirectHistory). */
  history: StoredExchange[];
  /** Every TLS hop verified; false when the Observatory would have retried unverified. */
  verified: boolean;
}

export function sessionView(chain: StoredChain): SessionView {
  const endedOnAnswer = chain.error === null || chain.error === 'too_many_redirects' || chain.error === 'redirect_loop';
  const last = chain.hops.at(-1);
  if (!endedOnAnswer || !last) return { response: null, history: [], verified: true };
  const firstFailure = chain.hops.find((hop) => hop.tls !== null && !hop.tls.verified);
  if (firstFailure && !observatoryCertificateErrors.has(firstFailure.tls?.verifyError ?? '')) {
    return { response: null, history: [], verified: true };
  }
  return { response: last, history: chain.hops, verified: firstFailure === undefined };
}
