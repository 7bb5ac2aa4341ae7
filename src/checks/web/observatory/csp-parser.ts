// How the Observatory reads Content-Security-Policy values: one or more policies, combined so
// that a source counts only when every policy allows it. Re-implemented by hand for Cybermonitor
// from reading the Observatory's src/analyzer/cspParser.js (see expectations.ts); its quirks are
// kept on purpose, because grades must agree: a repeated directive makes the whole policy
// invalid (except report-uri/report-to, where the later one wins and a warning is recorded), a
// source list left empty means 'none', and a directive only a later policy names ends up 'none'.

export const duplicateWarningsKey = '_observatory_duplicate_key_warnings';

/** The shortest policy taken seriously: 'img-src' less one character. */
const shortestPolicyLength = 'img-src'.length - 1;
const directivesNotAllowedInMeta = ['frame-ancestors', 'report-uri', 'sandbox'];
const mayRepeat = new Set(['report-uri', 'report-to']);
const collate = new Intl.Collator('en').compare;

export type Csp = Map<string, Set<string>>;

interface Source {
  source: string;
  policy: number;
  keep: boolean;
}

export class CspSyntaxError extends Error {}

/** Does path A cover path B (exactly, or as a directory when A ends in '/')? */
function pathCovers(pathA: string, pathB: string): boolean {
  if (pathA.length === 0) return true;
  if (pathA === '/' && pathB.length === 0) return true;
  const exact = !pathA.endsWith('/');
  const partsA = pathA.split('/');
  const partsB = pathB.split('/');
  if (partsA.length > partsB.length) return false;
  if (exact && partsA.length !== partsB.length) return false;
  if (!exact) partsA.pop();
  // decodeURIComponent throws on a malformed escape; the whole policy then counts as invalid.
  return partsA.every((part, index) => decodeURIComponent(part) === decodeURIComponent(partsB[index] as string));
}

/** Parse and combine policies; throws CspSyntaxError (or URIError) for a policy it cannot accept. */
export function parseCsp(policies: string[]): Csp {
  const cleaned = policies.map((policy) => policy.replace(/[\r\n]/g, '').trim());
  if (cleaned.length === 0) return new Map();
  for (const policy of cleaned) {
    if (!policy || policy.length < shortestPolicyLength) throw new CspSyntaxError('policy too short');
  }

  const combined = new Map<string, Source[]>();
  const duplicates = new Set<string>();

  cleaned.forEach((policy, policyIndex) => {
    const seenInThisPolicy = new Set<string>();
    for (const [rawDirective, ...rawSources] of policy.split(';').map((entry) => entry.trim().split(/\s+/))) {
      if (!rawDirective) continue;
      const directive = rawDirective.toLowerCase();
      if (seenInThisPolicy.has(directive)) {
        if (!mayRepeat.has(directive)) throw new CspSyntaxError(`duplicate directive ${directive}`);
        duplicates.add(directive);
      } else seenInThisPolicy.add(directive);

      const keep = policyIndex === 0;
      const sources: Source[] = rawSources.map((raw) => ({ source: raw.trim().toLocaleLowerCase(), policy: policyIndex, keep }));
      if (rawSources.length === 0 && directive.endsWith('-src')) sources.push({ source: "'none'", policy: policyIndex, keep });

      const candidates = policyIndex === 0 ? [...sources] : [...(combined.get(directive) ?? []), ...sources];
      candidates.sort((a, b) => collate(a.source, b.source));
      for (let index = 1; index < candidates.length; index += 1) {
        const current = candidates[index] as Source;
        const previous = candidates[index - 1] as Source;
        // Within one policy a longer source that starts like a shorter one adds nothing.
        if (current.policy === previous.policy && current.source.startsWith(previous.source)) current.keep = false;
        // Across policies a source counts only when both allow it.
        if (current.policy !== previous.policy && pathCovers(previous.source, current.source)) current.keep = true;
      }
      combined.set(
        directive,
        candidates.filter((source) => source.keep),
      );
      // With more policies to come, what the first one allows must be confirmed by the others.
      if (policyIndex === 0 && policies.length > 1) for (const source of combined.get(directive) ?? []) source.keep = false;
    }
  });

  const csp: Csp = new Map(
    [...combined.entries()].map(([directive, sources]) => [directive, sources.length > 0 ? new Set(sources.map((entry) => entry.source)) : new Set(["'none'"])]),
  );
  if (duplicates.size > 0) csp.set(duplicateWarningsKey, duplicates);
  return csp;
}

/** A policy from <meta http-equiv>: directives only a header may carry are dropped. */
export function parseCspMeta(policies: string[]): Csp {
  const csp = parseCsp(policies);
  for (const directive of directivesNotAllowedInMeta) csp.delete(directive);
  return csp;
}
