// The MDN HTTP Observatory's grading, re-implemented by hand for Cybermonitor (no code copied):
// written from reading its published method (https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring)
// and its sources (src/analyzer, src/grader, algorithm version 4 of @mdn/mdn-http-observatory 1.4.8)
// and checked against the real Observatory by test/web/observatory-agreement.test.ts.
// This module: the outcomes each test can have, the score modifier of each outcome, and the
// grade chart.

export const observatoryAlgorithmVersion = 4;

export const outcomes = {
  // Content Security Policy
  cspImplementedWithNoUnsafeDefaultSrcNone: 'csp-implemented-with-no-unsafe-default-src-none',
  cspImplementedWithNoUnsafe: 'csp-implemented-with-no-unsafe',
  cspImplementedWithUnsafeInlineInStyleSrcOnly: 'csp-implemented-with-unsafe-inline-in-style-src-only',
  cspImplementedWithInsecureSchemeInPassiveContentOnly: 'csp-implemented-with-insecure-scheme-in-passive-content-only',
  cspImplementedWithUnsafeEval: 'csp-implemented-with-unsafe-eval',
  cspImplementedWithUnsafeInline: 'csp-implemented-with-unsafe-inline',
  cspImplementedWithInsecureScheme: 'csp-implemented-with-insecure-scheme',
  cspImplementedButDuplicateDirectives: 'csp-implemented-but-duplicate-directives',
  cspHeaderInvalid: 'csp-header-invalid',
  cspNotImplemented: 'csp-not-implemented',
  cspNotImplementedButReportingEnabled: 'csp-not-implemented-but-reporting-enabled',
  // Cookies
  cookiesSecureWithHttponlySessionsAndSamesite: 'cookies-secure-with-httponly-sessions-and-samesite',
  cookiesSecureWithHttponlySessions: 'cookies-secure-with-httponly-sessions',
  cookiesNotFound: 'cookies-not-found',
  cookiesWithoutSecureFlagButProtectedByHsts: 'cookies-without-secure-flag-but-protected-by-hsts',
  cookiesSessionWithoutSecureFlagButProtectedByHsts: 'cookies-session-without-secure-flag-but-protected-by-hsts',
  cookiesWithoutSecureFlag: 'cookies-without-secure-flag',
  cookiesSamesiteFlagInvalid: 'cookies-samesite-flag-invalid',
  cookiesAnticsrfWithoutSamesiteFlag: 'cookies-anticsrf-without-samesite-flag',
  cookiesSessionWithoutHttponlyFlag: 'cookies-session-without-httponly-flag',
  cookiesSessionWithoutSecureFlag: 'cookies-session-without-secure-flag',
  // Cross-origin resource sharing
  corsNotImplemented: 'cross-origin-resource-sharing-not-implemented',
  corsImplementedWithPublicAccess: 'cross-origin-resource-sharing-implemented-with-public-access',
  corsImplementedWithRestrictedAccess: 'cross-origin-resource-sharing-implemented-with-restricted-access',
  corsImplementedWithUniversalAccess: 'cross-origin-resource-sharing-implemented-with-universal-access',
  // Redirection
  redirectionAllRedirectsPreloaded: 'redirection-all-redirects-preloaded',
  redirectionToHttps: 'redirection-to-https',
  redirectionNotNeededNoHttp: 'redirection-not-needed-no-http',
  redirectionOffHostFromHttp: 'redirection-off-host-from-http',
  redirectionNotToHttpsOnInitialRedirection: 'redirection-not-to-https-on-initial-redirection',
  redirectionNotToHttps: 'redirection-not-to-https',
  redirectionMissing: 'redirection-missing',
  redirectionInvalidCert: 'redirection-invalid-cert',
  // Referrer-Policy
  referrerPolicyPrivate: 'referrer-policy-private',
  referrerPolicyNotImplemented: 'referrer-policy-not-implemented',
  referrerPolicyUnsafe: 'referrer-policy-unsafe',
  referrerPolicyHeaderInvalid: 'referrer-policy-header-invalid',
  // Strict-Transport-Security
  hstsPreloaded: 'hsts-preloaded',
  hstsImplementedMaxAgeAtLeastSixMonths: 'hsts-implemented-max-age-at-least-six-months',
  hstsImplementedMaxAgeLessThanSixMonths: 'hsts-implemented-max-age-less-than-six-months',
  hstsNotImplemented: 'hsts-not-implemented',
  hstsHeaderInvalid: 'hsts-header-invalid',
  hstsNotImplementedNoHttps: 'hsts-not-implemented-no-https',
  hstsInvalidCert: 'hsts-invalid-cert',
  // Subresource Integrity
  sriImplementedAndAllScriptsLoadedSecurely: 'sri-implemented-and-all-scripts-loaded-securely',
  sriImplementedAndExternalScriptsLoadedSecurely: 'sri-implemented-and-external-scripts-loaded-securely',
  sriNotImplementedResponseNotHtml: 'sri-not-implemented-response-not-html',
  sriNotImplementedButNoScriptsLoaded: 'sri-not-implemented-but-no-scripts-loaded',
  sriNotImplementedButAllScriptsLoadedFromSecureOrigin: 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
  sriNotImplementedButExternalScriptsLoadedSecurely: 'sri-not-implemented-but-external-scripts-loaded-securely',
  sriImplementedButExternalScriptsNotLoadedSecurely: 'sri-implemented-but-external-scripts-not-loaded-securely',
  sriNotImplementedAndExternalScriptsNotLoadedSecurely: 'sri-not-implemented-and-external-scripts-not-loaded-securely',
  htmlNotParseable: 'html-not-parseable',
  // X-Content-Type-Options
  xContentTypeOptionsNosniff: 'x-content-type-options-nosniff',
  xContentTypeOptionsNotImplemented: 'x-content-type-options-not-implemented',
  xContentTypeOptionsHeaderInvalid: 'x-content-type-options-header-invalid',
  // X-Frame-Options
  xFrameOptionsImplementedViaCsp: 'x-frame-options-implemented-via-csp',
  xFrameOptionsSameoriginOrDeny: 'x-frame-options-sameorigin-or-deny',
  xFrameOptionsAllowFromOrigin: 'x-frame-options-allow-from-origin',
  xFrameOptionsNotImplemented: 'x-frame-options-not-implemented',
  xFrameOptionsHeaderInvalid: 'x-frame-options-header-invalid',
  // Cross-Origin-Resource-Policy
  corpNotImplemented: 'corp-not-implemented',
  corpImplementedWithSameOrigin: 'corp-implemented-with-same-origin',
  corpImplementedWithSameSite: 'corp-implemented-with-same-site',
  corpImplementedWithCrossOrigin: 'corp-implemented-with-cross-origin',
  corpHeaderInvalid: 'corp-header-invalid',
} as const;

export type Outcome = (typeof outcomes)[keyof typeof outcomes];
const o = outcomes;

/** Points each outcome adds to or takes from the base score of 100. */
export const scoreModifiers: Readonly<Record<Outcome, number>> = {
  [o.cspImplementedWithNoUnsafeDefaultSrcNone]: 10,
  [o.cspImplementedWithNoUnsafe]: 5,
  [o.cspImplementedWithUnsafeInlineInStyleSrcOnly]: 0,
  [o.cspImplementedWithInsecureSchemeInPassiveContentOnly]: -10,
  [o.cspImplementedWithUnsafeEval]: -10,
  [o.cspImplementedWithUnsafeInline]: -20,
  [o.cspImplementedWithInsecureScheme]: -20,
  [o.cspImplementedButDuplicateDirectives]: 0,
  [o.cspHeaderInvalid]: -25,
  [o.cspNotImplemented]: -25,
  [o.cspNotImplementedButReportingEnabled]: -25,

  [o.cookiesSecureWithHttponlySessionsAndSamesite]: 5,
  [o.cookiesSecureWithHttponlySessions]: 0,
  [o.cookiesNotFound]: 0,
  [o.cookiesWithoutSecureFlagButProtectedByHsts]: -5,
  [o.cookiesSessionWithoutSecureFlagButProtectedByHsts]: -10,
  [o.cookiesWithoutSecureFlag]: -20,
  [o.cookiesSamesiteFlagInvalid]: -20,
  [o.cookiesAnticsrfWithoutSamesiteFlag]: -20,
  [o.cookiesSessionWithoutHttponlyFlag]: -30,
  [o.cookiesSessionWithoutSecureFlag]: -40,

  [o.corsNotImplemented]: 0,
  [o.corsImplementedWithPublicAccess]: 0,
  [o.corsImplementedWithRestrictedAccess]: 0,
  [o.corsImplementedWithUniversalAccess]: -50,

  [o.redirectionAllRedirectsPreloaded]: 0,
  [o.redirectionToHttps]: 0,
  [o.redirectionNotNeededNoHttp]: 0,
  [o.redirectionOffHostFromHttp]: -5,
  [o.redirectionNotToHttpsOnInitialRedirection]: -10,
  [o.redirectionNotToHttps]: -20,
  [o.redirectionMissing]: -20,
  [o.redirectionInvalidCert]: -20,

  [o.referrerPolicyPrivate]: 5,
  [o.referrerPolicyNotImplemented]: 0,
  [o.referrerPolicyUnsafe]: -5,
  [o.referrerPolicyHeaderInvalid]: -5,

  [o.hstsPreloaded]: 5,
  [o.hstsImplementedMaxAgeAtLeastSixMonths]: 0,
  [o.hstsImplementedMaxAgeLessThanSixMonths]: -10,
  [o.hstsNotImplemented]: -20,
  [o.hstsHeaderInvalid]: -20,
  [o.hstsNotImplementedNoHttps]: -20,
  [o.hstsInvalidCert]: -20,

  [o.sriImplementedAndAllScriptsLoadedSecurely]: 5,
  [o.sriImplementedAndExternalScriptsLoadedSecurely]: 5,
  [o.sriNotImplementedResponseNotHtml]: 0,
  [o.sriNotImplementedButNoScriptsLoaded]: 0,
  [o.sriNotImplementedButAllScriptsLoadedFromSecureOrigin]: 0,
  [o.sriNotImplementedButExternalScriptsLoadedSecurely]: -5,
  [o.sriImplementedButExternalScriptsNotLoadedSecurely]: -20,
  [o.sriNotImplementedAndExternalScriptsNotLoadedSecurely]: -50,
  [o.htmlNotParseable]: -20,

  [o.xContentTypeOptionsNosniff]: 0,
  [o.xContentTypeOptionsNotImplemented]: -5,
  [o.xContentTypeOptionsHeaderInvalid]: -5,

  [o.xFrameOptionsImplementedViaCsp]: 5,
  [o.xFrameOptionsSameoriginOrDeny]: 0,
  [o.xFrameOptionsAllowFromOrigin]: 0,
  [o.xFrameOptionsNotImplemented]: -20,
  [o.xFrameOptionsHeaderInvalid]: -20,

  [o.corpNotImplemented]: 0,
  [o.corpImplementedWithSameOrigin]: 10,
  [o.corpImplementedWithSameSite]: 10,
  [o.corpImplementedWithCrossOrigin]: 0,
  [o.corpHeaderInvalid]: -5,
};

/** Bonus points count only when the score without them is at least this. */
export const minimumScoreForBonus = 90;

/** Grades by score band (rounded down to a multiple of 5, capped at 100). */
const gradeBands: ReadonlyArray<readonly [number, string]> = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export function gradeForScore(rawScore: number): { score: number; grade: string } {
  const score = Math.max(rawScore, 0);
  const band = Math.min(score - (score % 5), 100);
  const grade = gradeBands.find(([floor]) => band >= floor)?.[1] ?? 'F';
  return { score, grade };
}

/** Outcomes that are the test's own, kept in order from best to worst where a test picks the worst. */
export function worse(candidate: Outcome, current: Outcome | null, bestToWorst: readonly Outcome[]): Outcome {
  if (current === null) return candidate;
  return bestToWorst.indexOf(candidate) > bestToWorst.indexOf(current) ? candidate : current;
}
