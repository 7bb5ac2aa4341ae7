// web.hsts: does https://host/ tell browsers to use only HTTPS from now on (RFC 6797), for at
// least a year? includeSubDomains and preload are reported. The header on the answer from
// https://host/ itself is what protects the name a visitor types; browsers ignore it when the
// certificate is not trusted.
import type { StoredExchange, WebHttpEvidence } from '../../evidence/http/web-http-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { chainFacts } from './https-available.ts';
import { checkResult } from '../result.ts';

const id = 'web.hsts';
const version = 1;
export const oneYearSeconds = 31_536_000;
const notMeasured = new Set(['no_address', 'dns_timeout', 'dns_failure', 'target_refused', 'invalid_url', 'aborted']);

export type HstsPolicy =
  | { valid: true; maxAge: number; includeSubDomains: boolean; preload: boolean }
  | { valid: false; problem: 'no_max_age' | 'bad_max_age' | 'repeated_directive' | 'syntax' };

/** Parse a Strict-Transport-Security value by RFC 6797 section 6.1 (unknown directives ignored). */
export function parseHsts(value: string): HstsPolicy {
  const seen = new Set<string>();
  let maxAge: number | null = null;
  let includeSubDomains = false;
  let preload = false;
  for (const raw of value.split(';')) {
    const directive = raw.trim();
    if (directive === '') continue;
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s";]*))?$/.exec(directive);
    if (!match) return { valid: false, problem: 'syntax' };
    const name = (match[1] as string).toLowerCase();
    if (seen.has(name)) return { valid: false, problem: 'repeated_directive' };
    seen.add(name);
    const argument = match[2]?.replace(/^"(.*)"$/, '$1');
    if (name === 'max-age') {
      if (argument === undefined || !/^\d{1,18}$/.test(argument)) return { valid: false, problem: 'bad_max_age' };
      maxAge = Number(argument);
    } else if (name === 'includesubdomains') includeSubDomains = true;
    else if (name === 'preload') preload = true;
  }
  if (maxAge === null) return { valid: false, problem: 'no_max_age' };
  return { valid: true, maxAge, includeSubDomains, preload };
}

const headerOf = (exchange: StoredExchange | undefined) => exchange?.headers.find(([name]) => name === 'strict-transport-security')?.[1] ?? null;

export const webHstsCheck: CheckDefinition<WebHttpEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'it',
  evidenceKind: 'web.http',
  titleKey: 'checks.web.hsts.title',
  remediationKey: 'checks.web.hsts.remediation',
  references: [
    { title: 'RFC 6797: HTTP Strict Transport Security (HSTS)', url: 'https://www.rfc-editor.org/rfc/rfc6797' },
    { title: 'OWASP: HTTP Strict Transport Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html' },
    { title: 'HSTS preload list: submission requirements', url: 'https://hstspreload.org/' },
    { title: 'Internet.nl: HSTS (website test)', url: 'https://internet.nl/faqs/https/' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, details);
    const first = evidence.https.hops[0];
    const host = evidence.host;
    if (!first) {
      const reason = evidence.https.error ?? 'no_response';
      const key = notMeasured.has(reason) ? `checks.web.reason.${reason}` : 'checks.web.hsts.no_https';
      return result('error', 'info', key, { host, url: evidence.https.url }, { host, reason, https: chainFacts(evidence.https) });
    }
    const header = headerOf(first);
    const finalHop = evidence.https.hops.at(-1);
    const details: Record<string, unknown> = {
      host,
      url: first.url,
      header,
      finalUrl: finalHop?.url ?? null,
      finalHeader: finalHop === first ? header : headerOf(finalHop),
      certificateVerified: first.tls?.verified ?? null,
    };
    if (header === null) return result('fail', 'medium', 'checks.web.hsts.missing', { host }, details);
    const policy = parseHsts(header);
    if (!policy.valid) return result('fail', 'medium', 'checks.web.hsts.invalid', { host, header: header.slice(0, 200) }, { ...details, problem: policy.problem });

    const preloadReady = policy.maxAge >= oneYearSeconds && policy.includeSubDomains && policy.preload;
    Object.assign(details, { maxAge: policy.maxAge, includeSubDomains: policy.includeSubDomains, preload: policy.preload, preloadReady });
    const params = { host, days: Math.floor(policy.maxAge / 86_400) };
    if (first.tls && !first.tls.verified) return result('fail', 'medium', 'checks.web.hsts.untrusted', params, details);
    if (policy.maxAge === 0) return result('fail', 'medium', 'checks.web.hsts.disabled', params, details);
    if (policy.maxAge < oneYearSeconds) return result('warn', 'medium', 'checks.web.hsts.too_short', params, details);
    if (!policy.includeSubDomains) return result('pass', 'info', 'checks.web.hsts.pass_without_subdomains', params, details);
    return result('pass', 'info', policy.preload ? 'checks.web.hsts.pass_preload' : 'checks.web.hsts.pass', params, details);
  },
};
