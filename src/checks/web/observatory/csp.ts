// Observatory test "content-security-policy", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/csp.js (see expectations.ts). Header and <meta> policies are combined; the
// first (most serious) finding in the order below becomes the outcome.
import { type Csp, CspSyntaxError, duplicateWarningsKey, parseCsp, parseCspMeta } from './csp-parser.ts';
import { type Outcome, outcomes as o } from './expectations.ts';
import { headerValuesOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

const dangerouslyBroad = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*']);
const unsafeInline = new Set(["'unsafe-inline'", 'data:']);
const broadOrInline = new Set([...dangerouslyBroad, ...unsafeInline]);
const passiveDirectives = new Set(['img-src', 'media-src']);
const nonceOrHash = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

const usesNonceOrHash = (sources: Iterable<string>) => [...sources].some((source) => nonceOrHash.some((prefix) => source.startsWith(prefix)));

export interface CspAnalysis extends TestOutcome {
  /** The combined policy, directive → sorted sources; null when there is none or it is invalid. */
  policy: Record<string, string[]> | null;
}

function parseOrNull(parse: () => Csp): Csp | null {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CspSyntaxError || error instanceof URIError) return null;
    throw error;
  }
}

export function contentSecurityPolicyTest(requests: ObservatoryRequests): CspAnalysis {
  const test = 'content-security-policy' as const;
  const response = requests.auto;
  const url = requests.sessionUrl;
  if (!response || !url) return { test, result: o.cspNotImplemented, pass: false, policy: null };

  const headerPolicies = headerValuesOf(response, 'content-security-policy');
  const metaPolicies = response.httpEquiv.get('content-security-policy') ?? [];
  const csp = parseOrNull(() => parseCsp([...headerPolicies, ...metaPolicies]));
  if (!csp) return { test, result: o.cspHeaderInvalid, pass: false, policy: null };
  const headerOnly = parseOrNull(() => parseCsp(headerPolicies)) ?? new Map<string, Set<string>>();
  const metaOnly = parseOrNull(() => parseCspMeta(metaPolicies)) ?? new Map<string, Set<string>>();

  if (headerOnly.size + metaOnly.size === 0) {
    // Report-Only counts only as a header, never from <meta>.
    const reportOnly = headerValuesOf(response, 'content-security-policy-report-only').length > 0;
    return { test, result: reportOnly ? o.cspNotImplementedButReportingEnabled : o.cspNotImplemented, pass: false, policy: null };
  }

  const findings: Outcome[] = [];
  const firstFinding = (outcome: Outcome) => findings.push(outcome);
  // These Sets are the policy's own (as in the original): the edits below change the policy.
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src') ?? new Set(['*']);
  const styleSrc = csp.get('style-src') ?? csp.get('default-src') ?? new Set(['*']);
  const objectSrc = csp.get('object-src') ?? csp.get('default-src') ?? new Set(['*']);

  // A nonce or hash makes browsers ignore 'unsafe-inline'.
  for (const sources of [scriptSrc, styleSrc]) {
    if (usesNonceOrHash(sources) && sources.has("'unsafe-inline'")) sources.delete("'unsafe-inline'");
  }
  // 'strict-dynamic' with a nonce or hash makes browsers ignore host and scheme sources, 'self' and 'unsafe-inline'.
  if (usesNonceOrHash(scriptSrc) && scriptSrc.has("'strict-dynamic'")) {
    for (const source of [...scriptSrc]) {
      if ([...dangerouslyBroad].some((broad) => source.startsWith(broad)) || source === "'self'" || source === "'unsafe-inline'") scriptSrc.delete(source);
    }
  } else if (scriptSrc.has("'strict-dynamic'")) {
    firstFinding(o.cspHeaderInvalid);
  }

  const activeSources = [...csp.entries()].filter(([directive]) => !passiveDirectives.has(directive) && directive !== 'script-src').flatMap(([, sources]) => [...sources]);
  activeSources.push(...scriptSrc);
  const passiveSources = [...passiveDirectives].flatMap((directive) => [...(csp.get(directive) ?? csp.get('default-src') ?? new Set<string>())]);
  const insecure = (source: string) => source.startsWith('http:') || source.startsWith('ftp:');
  const secureSite = url.protocol === 'https:';

  if ([...scriptSrc].some((source) => broadOrInline.has(source)) || [...objectSrc].some((source) => dangerouslyBroad.has(source))) {
    firstFinding(o.cspImplementedWithUnsafeInline);
  }
  if (secureSite && activeSources.some(insecure)) firstFinding(o.cspImplementedWithInsecureScheme);
  if (new Set([...scriptSrc, ...styleSrc]).has("'unsafe-eval'")) firstFinding(o.cspImplementedWithUnsafeEval);
  if (secureSite && passiveSources.some(insecure)) firstFinding(o.cspImplementedWithInsecureSchemeInPassiveContentOnly);
  if ([...styleSrc].some((source) => broadOrInline.has(source))) firstFinding(o.cspImplementedWithUnsafeInlineInStyleSrcOnly);
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1) firstFinding(o.cspImplementedWithNoUnsafeDefaultSrcNone);
  else firstFinding(o.cspImplementedWithNoUnsafe);

  let outcome = findings[0] as Outcome;
  const passing: Outcome[] = [
    o.cspImplementedWithNoUnsafe,
    o.cspImplementedWithNoUnsafeDefaultSrcNone,
    o.cspImplementedWithUnsafeInlineInStyleSrcOnly,
    o.cspImplementedWithInsecureSchemeInPassiveContentOnly,
  ];
  const pass = passing.includes(outcome);
  if (pass && csp.has(duplicateWarningsKey)) outcome = o.cspImplementedButDuplicateDirectives;

  const policy: Record<string, string[]> = {};
  for (const [directive, sources] of csp) if (directive !== duplicateWarningsKey) policy[directive] = [...sources].sort();
  return { test, result: outcome, pass, policy };
}
