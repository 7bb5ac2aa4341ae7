// Observatory test "redirection", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/redirection.js (see expectations.ts): does http:// send visitors to
// https:// on the same host first?
import { isHstsPreloaded } from './hsts.ts';
import { type Outcome, outcomes as o } from './expectations.ts';
import type { ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

export interface RedirectionAnalysis extends TestOutcome {
  route: string[];
  destination: string | null;
}

export function redirectionTest(requests: ObservatoryRequests): RedirectionAnalysis {
  const test = 'redirection' as const;
  const response = requests.http;
  const history = requests.httpRedirects.length > 0 ? requests.httpRedirects : requests.httpsRedirects;
  const destination = history.at(-1)?.url.href ?? null;
  let route: string[] = [];
  let result: Outcome;

  if (!response) result = o.redirectionNotNeededNoHttp;
  else if (!response.verified) result = o.redirectionInvalidCert;
  else {
    const hops = requests.httpRedirects;
    route = hops.map((entry) => entry.url.href);
    const first = hops[0];
    const second = hops[1];
    if (hops.every((entry) => isHstsPreloaded(entry.url.hostname))) result = o.redirectionAllRedirectsPreloaded;
    else if (hops.length === 1 || !first || !second) result = o.redirectionMissing;
    else if (hops.at(-1)?.url.protocol !== 'https:') result = o.redirectionNotToHttps;
    else if (second.url.protocol === 'http:') result = o.redirectionNotToHttpsOnInitialRedirection;
    else if (first.url.protocol === 'http:' && second.url.protocol === 'https:' && first.url.hostname !== second.url.hostname) result = o.redirectionOffHostFromHttp;
    else result = o.redirectionToHttps;
  }
  if (JSON.stringify(route).length > 8192) route = [];
  const pass = result === o.redirectionNotNeededNoHttp || result === o.redirectionAllRedirectsPreloaded || result === o.redirectionToHttps;
  return { test, result, pass, route, destination };
}
