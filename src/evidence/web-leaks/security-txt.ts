// Fetch a site's security.txt where RFC 9116 puts it (https://host/.well-known/security.txt) and,
// only when there is none, at the legacy top-level /security.txt. Passive: the file exists to be
// read by anyone. Through the bounded HTTP client; failures become evidence.
import type { Evidence } from '../../checks/types.ts';
import { securityTxtDocument } from '../../checks/web/security-txt.ts';
import { type FetchOptions, headerValues } from '../../net/http-client.ts';
import { fetchOptionsOf, fetchSitePath, type LeakGatherOptions, siteUnreachable } from './home-page.ts';
import {
  maxSecurityTxtBytes,
  type SecurityTxtEvidence,
  securityTxtEvidenceKind,
  securityTxtEvidenceSchema,
  type SecurityTxtFetch,
} from './security-txt-evidence.ts';

async function fetchSecurityTxt(domain: string, path: string, fetchOptions: FetchOptions): Promise<SecurityTxtFetch> {
  const { url, result } = await fetchSitePath(domain, path, {
    ...fetchOptions,
    maxRedirects: 5,
    maxBodyBytes: maxSecurityTxtBytes,
    headers: { accept: 'text/plain, */*;q=0.5' },
  });
  const final = result.final;
  const success = final !== undefined && final.status >= 200 && final.status < 300;
  return {
    url,
    finalUrl: final?.url.slice(0, 2048) ?? null,
    status: final?.status ?? null,
    redirects: result.hops.slice(0, 12).map((hop) => ({ url: hop.url.slice(0, 2048), status: hop.status })),
    contentType: final ? ((headerValues(final, 'content-type')[0] ?? null)?.slice(0, 256) ?? null) : null,
    error: final ? null : (result.error ?? 'no_response'),
    errorDetail: final ? null : (result.errorDetail?.slice(0, 256) ?? null),
    body: success ? (final.body ?? '').slice(0, maxSecurityTxtBytes) : null,
    bodyTruncated: success ? final.bodyTruncated : false,
  };
}

export async function gatherSecurityTxtEvidence(domain: string, options: LeakGatherOptions): Promise<Evidence<SecurityTxtEvidence>> {
  const fetchOptions = fetchOptionsOf(options);
  const unreachable = await siteUnreachable(domain, options);
  if (unreachable) {
    const url = `https://${domain}/.well-known/security.txt`;
    const wellKnown: SecurityTxtFetch = { url, finalUrl: null, status: null, redirects: [], contentType: null, ...unreachable, body: null, bodyTruncated: false };
    return { kind: securityTxtEvidenceKind, gatheredAt: new Date().toISOString(), data: securityTxtEvidenceSchema.parse({ wellKnown, legacy: null }) };
  }
  const wellKnown = await fetchSecurityTxt(domain, '/.well-known/security.txt', fetchOptions);
  const legacy = securityTxtDocument(wellKnown) || wellKnown.error !== null ? null : await fetchSecurityTxt(domain, '/security.txt', fetchOptions);
  const data: SecurityTxtEvidence = { wellKnown, legacy };
  return { kind: securityTxtEvidenceKind, gatheredAt: new Date().toISOString(), data: securityTxtEvidenceSchema.parse(data) };
}
