// Observatory test "referrer-policy", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/referrer-policy.js (see expectations.ts). Header values and a
// <meta name="referrer"> are read together; the last policy a browser knows wins.
import { type Outcome, outcomes as o } from './expectations.ts';
import { headerValuesOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

const privatePolicies = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const unsafePolicies = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];
const knownPolicies = [...privatePolicies, ...unsafePolicies];

export interface ReferrerAnalysis extends TestOutcome {
  policy: string | null;
}

export function referrerPolicyTest(requests: ObservatoryRequests): ReferrerAnalysis {
  const test = 'referrer-policy' as const;
  const response = requests.auto;
  if (!response) return { test, result: o.referrerPolicyNotImplemented, pass: false, policy: null };
  const values = [...headerValuesOf(response, 'referrer-policy'), ...(response.httpEquiv.get('referrer-policy') ?? [])];
  if (values.length === 0) return { test, result: o.referrerPolicyNotImplemented, pass: true, policy: null };

  const data = values.join(', ');
  const policy =
    data
      .split(',')
      .filter((entry) => knownPolicies.includes(entry.toLowerCase().trim()))
      .reverse()[0]
      ?.toLowerCase()
      .trim() ?? '';
  let result: Outcome;
  if (privatePolicies.includes(policy)) result = o.referrerPolicyPrivate;
  else if (unsafePolicies.includes(policy)) result = o.referrerPolicyUnsafe;
  else result = o.referrerPolicyHeaderInvalid;
  return { test, result, pass: result === o.referrerPolicyPrivate, policy: data.slice(0, 256) };
}
