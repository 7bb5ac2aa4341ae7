// Observatory test "cross-origin-resource-policy", re-implemented by hand for Cybermonitor from
// reading src/analyzer/tests/cross-origin-resource-policy.js (see expectations.ts).
import { type Outcome, outcomes as o } from './expectations.ts';
import { firstHeaderOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

export function crossOriginResourcePolicyTest(requests: ObservatoryRequests): TestOutcome & { value: string | null } {
  const test = 'cross-origin-resource-policy' as const;
  let result: Outcome = o.corpNotImplemented;
  const header = requests.auto ? firstHeaderOf(requests.auto, 'cross-origin-resource-policy') : null;
  // The original also looks for a <meta http-equiv>, which its page reader never collects.
  const value = header ? header.slice(0, 256).trim().toLowerCase() : null;
  if (value) {
    if (value === 'same-site') result = o.corpImplementedWithSameSite;
    else if (value === 'same-origin') result = o.corpImplementedWithSameOrigin;
    else if (value === 'cross-origin') result = o.corpImplementedWithCrossOrigin;
    else result = o.corpHeaderInvalid;
  }
  return { test, result, pass: result !== o.corpHeaderInvalid, value };
}
