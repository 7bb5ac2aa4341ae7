// What the leak gatherer saw on a site's home page, as stored JSONB: the response headers, the
// names (never values) of cookies, facts extracted from the HTML, and — only when active probes
// are allowed — the few CMS version files it asked for. No I/O here: checks import this module.
import { z } from 'zod';
import { pageFactsSchema } from './page-facts.ts';

export const homePageEvidenceKind = 'web.leaks.home-page';

export const maxHeaders = 100;
export const maxHeaderValue = 1024;
export const maxVersionFileExcerpt = 2048;

const text = (max: number) => z.string().max(max);

export const versionFileSchema = z.object({
  path: text(256),
  status: z.number().int().min(0).max(999).nullable(),
  contentType: text(256).nullable(),
  /** The start of the body (public version files only), for version parsing. */
  excerpt: text(maxVersionFileExcerpt),
});
export type VersionFile = z.infer<typeof versionFileSchema>;

export const homePageEvidenceSchema = z.object({
  requestedUrl: text(2048),
  /** The URL the redirects ended on, when a response arrived. */
  finalUrl: text(2048).nullable(),
  status: z.number().int().min(0).max(999).nullable(),
  redirects: z.array(z.object({ url: text(2048), status: z.number().int() })).max(12),
  /** Fetch failure code (`connection_refused`, `timeout`, …) when no page arrived. */
  error: text(64).nullable(),
  errorDetail: text(256).nullable(),
  /** Lowercased names, in arrival order, values bounded. */
  headers: z.array(z.tuple([text(256), text(maxHeaderValue)])).max(maxHeaders),
  /** Names of the cookies the page set (values are never kept). */
  cookieNames: z.array(text(128)).max(50),
  contentType: text(256).nullable(),
  bodyTruncated: z.boolean(),
  /** Facts from the HTML, null when the response was not HTML. */
  page: pageFactsSchema.nullable(),
  /** Whether CMS version files were probed (only for verified or attested domains). */
  versionFilesProbed: z.boolean(),
  versionFiles: z.array(versionFileSchema).max(4),
});
export type HomePageEvidence = z.infer<typeof homePageEvidenceSchema>;

/** All values of a header in the evidence (name case-insensitive). */
export function headerValuesOf(evidence: Pick<HomePageEvidence, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  return evidence.headers.filter(([key]) => key === wanted).map(([, value]) => value);
}
