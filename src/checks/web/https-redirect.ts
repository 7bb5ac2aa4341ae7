// web.https.redirect: does plain http:// send visitors to https:// at once, on the same host?
// A first hop to another host (or to another http:// page) leaves that first step unprotected
// and stops HSTS from being set for the name the visitor typed.
import type { WebHttpEvidence } from '../../evidence/http/web-http-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { chainFacts } from './https-available.ts';
import { checkResult } from '../result.ts';

const id = 'web.https.redirect';
const version = 1;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const notMeasured = new Set(['no_address', 'dns_timeout', 'dns_failure', 'target_refused', 'invalid_url', 'aborted']);

function parsed(url: string | undefined, base?: string): URL | null {
  if (url === undefined) return null;
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

export const webHttpsRedirectCheck: CheckDefinition<WebHttpEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.http',
  titleKey: 'checks.web.https.redirect.title',
  remediationKey: 'checks.web.https.redirect.remediation',
  references: [
    { title: 'MDN: HTTP redirection (Practical security implementation guides: TLS)', url: 'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_redirection' },
    { title: 'RFC 6797: HTTP Strict Transport Security, section 7.2', url: 'https://www.rfc-editor.org/rfc/rfc6797#section-7.2' },
    { title: 'OWASP: HTTP Strict Transport Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, details);
    const http = evidence.http;
    const details = { host: evidence.host, http: chainFacts(http) };
    const first = http.hops[0];
    if (!first) {
      const reason = http.error ?? 'no_response';
      if (notMeasured.has(reason)) return result('error', 'info', `checks.web.reason.${reason}`, { host: evidence.host, url: http.url }, { ...details, reason });
      // Nothing listens for plain HTTP: nothing to redirect, and nothing sent unencrypted.
      return result('pass', 'info', 'checks.web.https.redirect.no_http', { host: evidence.host }, { ...details, reason });
    }
    const location = first.headers.find(([name]) => name === 'location')?.[1];
    const target = redirectStatuses.has(first.status) ? parsed(location, first.url) : null;
    if (!target) {
      return result('fail', 'medium', 'checks.web.https.redirect.missing', { host: evidence.host, status: first.status }, { ...details, status: first.status });
    }
    const finalUrl = parsed(http.hops.at(-1)?.url);
    const from = new URL(first.url);
    const targetDetails = { ...details, firstTarget: target.href, finalUrl: finalUrl?.href ?? null };
    if (target.protocol === 'https:' && target.hostname === from.hostname) {
      return result('pass', 'info', 'checks.web.https.redirect.pass', { host: evidence.host, target: target.href }, targetDetails);
    }
    const endsOnHttps = finalUrl?.protocol === 'https:';
    if (target.protocol === 'https:') {
      return result('warn', 'medium', 'checks.web.https.redirect.other_host', { host: evidence.host, target: target.href }, targetDetails);
    }
    if (endsOnHttps) {
      return result('warn', 'medium', 'checks.web.https.redirect.http_first', { host: evidence.host, target: target.href }, targetDetails);
    }
    return result('fail', 'medium', 'checks.web.https.redirect.not_to_https', { host: evidence.host, target: target.href }, targetDetails);
  },
};
