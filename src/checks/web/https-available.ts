// web.https.available: does the website answer over HTTPS on port 443?
// Whether the certificate is trusted is tls.certificate's business; here any HTTPS answer counts.
import type { StoredChain, WebHttpEvidence } from '../../evidence/http/web-http-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'web.https.available';
const version = 1;

/** Failures that say nothing about the site but about DNS or our own rules: not measured. */
const notMeasured = new Set(['no_address', 'dns_timeout', 'dns_failure', 'target_refused', 'invalid_url', 'aborted']);

export function chainFacts(chain: StoredChain): Record<string, unknown> {
  return {
    url: chain.url,
    error: chain.error,
    errorDetail: chain.errorDetail,
    errorUrl: chain.errorUrl,
    hops: chain.hops.map((hop) => ({ url: hop.url, status: hop.status, address: hop.address })),
  };
}

export const webHttpsAvailableCheck: CheckDefinition<WebHttpEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'it',
  evidenceKind: 'web.http',
  titleKey: 'checks.web.https.available.title',
  remediationKey: 'checks.web.https.available.remediation',
  references: [
    { title: 'NCSC: ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS)', url: 'https://www.ncsc.nl/documenten/publicaties/2021/januari/19/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2.1' },
    { title: 'RFC 9110: HTTP Semantics, section 4.2.2 (https URI scheme)', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-4.2.2' },
    { title: 'OWASP: Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, details);
    const https = evidence.https;
    const first = https.hops[0];
    const details = { host: evidence.host, https: chainFacts(https) };
    if (first) {
      return result('pass', 'info', 'checks.web.https.available.pass', { host: evidence.host, status: first.status }, {
        ...details,
        status: first.status,
        address: first.address,
        protocol: first.tls?.protocol ?? null,
        certificateVerified: first.tls?.verified ?? null,
      });
    }
    const reason = https.error ?? 'no_response';
    if (notMeasured.has(reason)) {
      return result('error', 'info', `checks.web.reason.${reason}`, { host: evidence.host, url: https.url }, { ...details, reason });
    }
    // Neither port answers: there is no website here to judge.
    if (evidence.http.hops.length === 0) {
      return result('info', 'info', 'checks.web.https.available.no_website', { host: evidence.host }, { ...details, reason, http: chainFacts(evidence.http) });
    }
    return result('fail', 'high', 'checks.web.https.available.fail', { host: evidence.host, reason }, { ...details, reason });
  },
};
