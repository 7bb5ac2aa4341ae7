// Observatory test "x-frame-options", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/x-frame-options.js (see expectations.ts). A CSP frame-ancestors directive
// (header or, as the original reads it, <meta>) supersedes the header.
import { contentSecurityPolicyTest } from './csp.ts';
import { type Outcome, outcomes as o } from './expectations.ts';
import { firstHeaderOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

export function xFrameOptionsTest(requests: ObservatoryRequests): TestOutcome & { value: string | null } {
  const test = 'x-frame-options' as const;
  if (!requests.auto) return { test, result: o.xFrameOptionsNotImplemented, pass: false, value: null };
  const header = firstHeaderOf(requests.auto, 'x-frame-options');
  let result: Outcome = o.xFrameOptionsNotImplemented;
  const value = header ? header.slice(0, 1024) : null;
  if (value !== null) {
    const xfo = value.trim().toLowerCase();
    if (xfo === 'deny' || xfo === 'sameorigin') result = o.xFrameOptionsSameoriginOrDeny;
    else if (xfo.startsWith('allow-from')) result = o.xFrameOptionsAllowFromOrigin;
    else result = o.xFrameOptionsHeaderInvalid;
  }
  const csp = contentSecurityPolicyTest(requests);
  if (csp.policy?.['frame-ancestors']) result = o.xFrameOptionsImplementedViaCsp;
  const pass = [o.xFrameOptionsAllowFromOrigin, o.xFrameOptionsSameoriginOrDeny, o.xFrameOptionsImplementedViaCsp].includes(result as never);
  return { test, result, pass, value };
}
