// Observatory test "cross-origin-resource-sharing", re-implemented by hand for Cybermonitor from
// reading src/analyzer/tests/cors.js (see expectations.ts). It reads the answer to a preflight
// from a foreign Origin. Kept as in the original: its "universal access" outcome compares the
// Allow-Origin header with the Origin it sent, which it looks up on the request object where
// it is not found, so that outcome never occurs; a reflected Origin with credentials grades as
// restricted access there, and so here. The check reports the reflection separately.
import { outcomes as o, type Outcome } from './expectations.ts';
import { firstHeaderOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

export interface CorsAnalysis extends TestOutcome {
  allowOrigin: string | null;
  /** The Allow-Origin header echoes our Origin and credentials are allowed (any site may read as the user). */
  reflectsOriginWithCredentials: boolean;
}

export function crossOriginResourceSharingTest(requests: ObservatoryRequests, probeOrigin: string): CorsAnalysis {
  const test = 'cross-origin-resource-sharing' as const;
  const allowOrigin = firstHeaderOf(requests.cors, 'access-control-allow-origin');
  const credentials = firstHeaderOf(requests.cors, 'access-control-allow-credentials');
  const allowsCredentials = credentials?.toLowerCase().trim() === 'true';
  let result: Outcome = o.corsNotImplemented;
  let data: string | null = null;
  if (requests.cors && allowOrigin) {
    data = allowOrigin.slice(0, 256).trim().toLowerCase();
    // The Origin the Observatory compares with is never found (see above): null.
    const sentOrigin: string | null = null;
    if (data === '*') result = o.corsImplementedWithPublicAccess;
    else if (sentOrigin !== null && sentOrigin === allowOrigin && allowsCredentials) result = o.corsImplementedWithUniversalAccess;
    else result = o.corsImplementedWithRestrictedAccess;
  }
  return {
    test,
    result,
    pass: result !== o.corsImplementedWithUniversalAccess,
    allowOrigin: data,
    reflectsOriginWithCredentials: allowOrigin !== null && allowOrigin.trim() === probeOrigin && allowsCredentials,
  };
}
