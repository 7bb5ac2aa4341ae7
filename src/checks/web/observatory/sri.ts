// Observatory test "subresource-integrity", re-implemented by hand for Cybermonitor from reading
// src/analyzer/tests/subresource-integrity.js (see expectations.ts). Scripts from another
// registrable domain (tldts, as in the original) should carry an integrity hash and come over
// https; the worst script decides.
import { parse as parseDomain } from 'tldts';
import { type Outcome, outcomes as o, worse } from './expectations.ts';
import type { ObservatoryRequests } from './requests.ts';
import type { TestOutcome } from './test-outcome.ts';

const htmlTypes = new Set(['text/html', 'application/xhtml+xml']);
const bestToWorst: Outcome[] = [
  o.sriImplementedAndAllScriptsLoadedSecurely,
  o.sriImplementedAndExternalScriptsLoadedSecurely,
  o.sriImplementedButExternalScriptsNotLoadedSecurely,
  o.sriNotImplementedButExternalScriptsLoadedSecurely,
  o.sriNotImplementedAndExternalScriptsNotLoadedSecurely,
  o.sriNotImplementedResponseNotHtml,
];
const protocolRelative = /^(\/\/)[^/]/;
const absoluteHttp = /^https?:\/\//;

export interface SriAnalysis extends TestOutcome {
  /** Scripts from elsewhere, with their integrity and crossorigin attributes (at most 50). */
  externalScripts: Array<{ src: string; integrity: string | null; crossorigin: string | null }>;
}

function schemeOf(src: string): string | null {
  try {
    return new URL(src).protocol;
  } catch {
    return null;
  }
}

export function subresourceIntegrityTest(requests: ObservatoryRequests): SriAnalysis {
  const test = 'subresource-integrity' as const;
  const externalScripts: SriAnalysis['externalScripts'] = [];
  let result: Outcome | null = null;
  if (!requests.auto) return { test, result: o.sriNotImplementedButNoScriptsLoaded, pass: false, externalScripts };

  const mime = (requests.contentType ?? '').split(';')[0] as string;
  if (!htmlTypes.has(mime)) result = o.sriNotImplementedResponseNotHtml;
  else {
    const siteDomain = parseDomain(requests.hostname).domain;
    let foreignScripts = false;
    for (const script of requests.scripts) {
      if (!script.src) continue;
      let relativeOrigin = false;
      let relativeProtocol = false;
      let sameSite = false;
      if (protocolRelative.test(script.src)) {
        relativeProtocol = true;
        sameSite = true;
      } else if (absoluteHttp.test(script.src)) {
        sameSite = parseDomain(script.src).domain === siteDomain;
      } else {
        relativeOrigin = true;
        sameSite = true;
      }
      const secureOrigin = relativeOrigin || (sameSite && !relativeProtocol);
      if (!secureOrigin) foreignScripts = true;
      const scheme = !relativeProtocol && !relativeOrigin ? schemeOf(script.src) : null;
      const secureScheme = scheme === 'https:' || (relativeOrigin && requests.sessionUrl?.protocol === 'https:');

      if (!secureOrigin) {
        if (externalScripts.length < 50) externalScripts.push({ src: script.src.slice(0, 512), integrity: script.integrity, crossorigin: script.crossorigin });
        if (script.integrity && !secureScheme) result = worse(o.sriImplementedButExternalScriptsNotLoadedSecurely, result, bestToWorst);
        else if (!script.integrity && secureScheme) result = worse(o.sriNotImplementedButExternalScriptsLoadedSecurely, result, bestToWorst);
        else if (!script.integrity && !secureScheme) result = worse(o.sriNotImplementedAndExternalScriptsNotLoadedSecurely, result, bestToWorst);
      } else if (script.integrity && secureScheme && result === null) {
        // Integrity on same-origin scripts earns the bonus too.
        result = o.sriImplementedAndAllScriptsLoadedSecurely;
      }
    }
    if (requests.scriptCount === 0) result = o.sriNotImplementedButNoScriptsLoaded;
    else result ??= foreignScripts ? o.sriImplementedAndExternalScriptsLoadedSecurely : o.sriNotImplementedButAllScriptsLoadedFromSecureOrigin;
  }

  const passing: Outcome[] = [
    o.sriImplementedAndAllScriptsLoadedSecurely,
    o.sriImplementedAndExternalScriptsLoadedSecurely,
    o.sriNotImplementedResponseNotHtml,
    o.sriNotImplementedButAllScriptsLoadedFromSecureOrigin,
    o.sriNotImplementedButNoScriptsLoaded,
  ];
  return { test, result, pass: passing.includes(result), externalScripts };
}
