// What the sensitive-files gatherer (an active probe) found, as stored JSONB: per path only the
// status, whether the content confirmed an exposure, the marker that proved it and a short
// redacted excerpt. Bodies are never stored. No I/O here.
import { z } from 'zod';
import { sensitiveFileKinds } from './sensitive-files-probes.ts';

export const sensitiveFilesEvidenceKind = 'web.leaks.sensitive-files';

const text = (max: number) => z.string().max(max);

export const probeOutcomeSchema = z.object({
  path: text(256),
  kind: z.enum(sensitiveFileKinds),
  status: z.number().int().min(0).max(999).nullable(),
  error: text(64).nullable(),
  /** The content proved the file is what its name says. */
  confirmed: z.boolean(),
  /** The content matched, but so did the answer for a path that cannot exist: not counted. */
  soft404: z.boolean(),
  marker: text(128).nullable(),
  excerpt: text(300).nullable(),
});
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

export const sensitiveFilesEvidenceSchema = z.object({
  /** Scheme, host and port the paths were asked at (after the baseline's redirects). */
  origin: text(512).nullable(),
  /** Why nothing was probed (the site did not answer the baseline request). */
  error: text(64).nullable(),
  errorDetail: text(256).nullable(),
  /** The answer for a random path that cannot exist, to recognise sites that answer 200 to everything. */
  baseline: z.object({ path: text(256), status: z.number().int().min(0).max(999), bytes: z.number().int().nonnegative() }).nullable(),
  probes: z.array(probeOutcomeSchema).max(32),
  /** Probing stopped early (time budget, repeated timeouts). */
  incomplete: z.boolean(),
});
export type SensitiveFilesEvidence = z.infer<typeof sensitiveFilesEvidenceSchema>;
