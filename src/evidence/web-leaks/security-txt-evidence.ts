// What the security.txt gatherer fetched, as stored JSONB: the RFC 9116 location
// (/.well-known/security.txt over HTTPS) and, only when that has none, the legacy top-level
// /security.txt. A security.txt is public text meant to be read, so its (bounded) text is kept
// and the check parses it. No I/O here.
import { z } from 'zod';

export const securityTxtEvidenceKind = 'web.leaks.security-txt';
export const maxSecurityTxtBytes = 32 * 1024;

const text = (max: number) => z.string().max(max);

export const securityTxtFetchSchema = z.object({
  url: text(2048),
  finalUrl: text(2048).nullable(),
  status: z.number().int().min(0).max(999).nullable(),
  redirects: z.array(z.object({ url: text(2048), status: z.number().int() })).max(12),
  contentType: text(256).nullable(),
  error: text(64).nullable(),
  errorDetail: text(256).nullable(),
  /** The body of a 2xx answer, bounded; null otherwise. */
  body: text(maxSecurityTxtBytes).nullable(),
  bodyTruncated: z.boolean(),
});
export type SecurityTxtFetch = z.infer<typeof securityTxtFetchSchema>;

export const securityTxtEvidenceSchema = z.object({
  wellKnown: securityTxtFetchSchema,
  /** /security.txt at the top level, asked for only when the well-known location has none. */
  legacy: securityTxtFetchSchema.nullable(),
});
export type SecurityTxtEvidence = z.infer<typeof securityTxtEvidenceSchema>;
