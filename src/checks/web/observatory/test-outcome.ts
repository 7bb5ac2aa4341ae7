// What one Observatory test concludes about a site. See expectations.ts for where the port comes from.
import type { Outcome } from './expectations.ts';

export type ObservatoryTestName =
  | 'content-security-policy'
  | 'cookies'
  | 'cross-origin-resource-sharing'
  | 'redirection'
  | 'referrer-policy'
  | 'strict-transport-security'
  | 'subresource-integrity'
  | 'x-content-type-options'
  | 'x-frame-options'
  | 'cross-origin-resource-policy';

export interface TestOutcome {
  test: ObservatoryTestName;
  result: Outcome;
  pass: boolean;
}
