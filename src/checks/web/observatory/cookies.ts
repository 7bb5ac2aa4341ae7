// Observatory test "cookies", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/cookies.js (see expectations.ts). Cookies are those the session's cookie
// jar (tough-cookie, as in the Observatory) accepted; session cookies are those whose name
// contains "login" or "sess", anti-CSRF tokens those with "csrf". The worst finding counts.
import { type Outcome, outcomes as o, worse } from './expectations.ts';
import { strictTransportSecurityTest } from './hsts.ts';
import { headerValuesOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

const bestToWorst: Outcome[] = [
  o.cookiesWithoutSecureFlagButProtectedByHsts,
  o.cookiesWithoutSecureFlag,
  o.cookiesSessionWithoutSecureFlagButProtectedByHsts,
  o.cookiesSamesiteFlagInvalid,
  o.cookiesAnticsrfWithoutSamesiteFlag,
  o.cookiesSessionWithoutHttponlyFlag,
  o.cookiesSessionWithoutSecureFlag,
];
// See mozilla/http-observatory#282.
const ignoredCookies = new Set(['heroku-session-affinity']);

export interface CookieFact {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
}

export interface CookiesAnalysis extends TestOutcome {
  cookies: CookieFact[];
}

/** A SameSite attribute without a value, or with one other than Lax, Strict or None. */
function hasInvalidSameSite(setCookie: string): boolean {
  for (const part of setCookie.trim().split(';')) {
    const [key = '', value] = part.trim().split('=');
    if (key.trim().toLowerCase() !== 'samesite') continue;
    if (!value || !['lax', 'strict', 'none'].includes(value.trim().toLowerCase())) return true;
  }
  return false;
}

export function cookiesTest(requests: ObservatoryRequests): CookiesAnalysis {
  const test = 'cookies' as const;
  const hsts = strictTransportSecurityTest(requests).pass;
  let result: Outcome | null = null;

  if (requests.auto) {
    for (const setCookie of headerValuesOf(requests.auto, 'set-cookie')) {
      if (hasInvalidSameSite(setCookie)) result = worse(o.cookiesSamesiteFlagInvalid, result, bestToWorst);
    }
  }

  const cookies = requests.cookies.filter((cookie) => cookie.key && !ignoredCookies.has(cookie.key));
  let missingSameSite = false;
  if (cookies.length === 0) result = o.cookiesNotFound;
  else {
    for (const cookie of cookies) {
      const name = (cookie.key ?? '').toLowerCase();
      const session = name.includes('login') || name.includes('sess');
      const antiCsrf = name.includes('csrf');
      const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite : undefined;
      if (!cookie.secure && sameSite?.toLowerCase() === 'none') result = worse(o.cookiesSamesiteFlagInvalid, result, bestToWorst);
      if (!cookie.secure) result = worse(hsts ? o.cookiesWithoutSecureFlagButProtectedByHsts : o.cookiesWithoutSecureFlag, result, bestToWorst);
      if (antiCsrf && !sameSite) result = worse(o.cookiesAnticsrfWithoutSamesiteFlag, result, bestToWorst);
      if (session && !cookie.secure) {
        result = worse(hsts ? o.cookiesSessionWithoutSecureFlagButProtectedByHsts : o.cookiesSessionWithoutSecureFlag, result, bestToWorst);
      }
      if (session && !cookie.httpOnly) result = worse(o.cookiesSessionWithoutHttponlyFlag, result, bestToWorst);
      if (!sameSite) missingSameSite = true;
    }
    result ??= missingSameSite ? o.cookiesSecureWithHttponlySessions : o.cookiesSecureWithHttponlySessionsAndSamesite;
  }

  const pass = [o.cookiesNotFound, o.cookiesSecureWithHttponlySessionsAndSamesite, o.cookiesSecureWithHttponlySessions].includes(result as never);
  return {
    test,
    result,
    pass,
    cookies: cookies.slice(0, 50).map((cookie) => ({
      name: String(cookie.key ?? '').slice(0, 256),
      secure: Boolean(cookie.secure),
      httpOnly: Boolean(cookie.httpOnly),
      sameSite: typeof cookie.sameSite === 'string' ? cookie.sameSite : null,
    })),
  };
}
