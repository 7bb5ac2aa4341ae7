// Observatory test "strict-transport-security", re-implemented by hand for Cybermonitor from
// reading src/analyzer/tests/strict-transport-security.js (see expectations.ts). It reads the
// https:// session's final answer. Kept as in the original: a header sent twice (joined with a
// comma) is invalid, and a max-age that is not a number counts as long enough.
import { type Outcome, outcomes as o } from './expectations.ts';
import { headerValuesOf, type ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

// Six months is 15768000 s, but many sites use 15552000 (180 days); the Observatory accepts that.
const sixMonths = 15552000;

export interface HstsAnalysis extends TestOutcome {
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

/** Hosts on the browsers' HSTS preload list; we ship none (as the Observatory does offline). */
export function isHstsPreloaded(_hostname: string): boolean {
  return false;
}

export function strictTransportSecurityTest(requests: ObservatoryRequests): HstsAnalysis {
  const test = 'strict-transport-security' as const;
  const response = requests.https;
  let result: Outcome = o.hstsNotImplemented;
  let maxAge: number | null = null;
  let includeSubDomains = false;
  let preload = false;

  const values = headerValuesOf(response, 'strict-transport-security');
  if (!response) result = o.hstsNotImplementedNoHttps;
  else if (!response.verified) result = o.hstsInvalidCert;
  else if (values.length > 0) {
    const header = (values[0] as string).slice(0, 1024);
    if (header.includes(',')) result = o.hstsHeaderInvalid;
    else {
      for (const parameter of header.split(';').map((part) => part.trim().toLowerCase())) {
        if (parameter.startsWith('max-age=')) maxAge = Number.parseInt(parameter.slice(8, 128), 10);
        else if (parameter === 'includesubdomains') includeSubDomains = true;
        else if (parameter === 'preload') preload = true;
      }
      if (maxAge === null) result = o.hstsHeaderInvalid;
      else result = maxAge < sixMonths ? o.hstsImplementedMaxAgeLessThanSixMonths : o.hstsImplementedMaxAgeAtLeastSixMonths;
    }
  }
  if (response && isHstsPreloaded(requests.hostname)) result = o.hstsPreloaded;

  const pass = result === o.hstsImplementedMaxAgeAtLeastSixMonths || result === o.hstsPreloaded;
  return { test, result, pass, maxAge: maxAge === null || Number.isNaN(maxAge) ? null : maxAge, includeSubDomains, preload };
}
