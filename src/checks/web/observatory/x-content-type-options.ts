// Observatory test "x-content-type-options", re-implemented by hand for Cybermonitor from
// reading src/analyzer/tests/x-content-type-options.js (see expectations.ts).
import { type Outcome, outcomes as o } from './expectations.ts';
import { firstHeaderOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

export function xContentTypeOptionsTest(requests: ObservatoryRequests): TestOutcome & { value: string | null } {
  const test = 'x-content-type-options' as const;
  const header = requests.auto ? firstHeaderOf(requests.auto, 'x-content-type-options') : null;
  let result: Outcome = o.xContentTypeOptionsNotImplemented;
  const value = header ? header.slice(0, 256) : null;
  if (value !== null) result = value.trim().toLowerCase() === 'nosniff' ? o.xContentTypeOptionsNosniff : o.xContentTypeOptionsHeaderInvalid;
  return { test, result, pass: result === o.xContentTypeOptionsNosniff, value };
}
