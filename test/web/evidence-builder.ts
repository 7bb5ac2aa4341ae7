// Builds web.http evidence by hand for pure check tests: what a gathering would have stored.
import type { HtmlFacts } from '../../src/evidence/http/html-facts.ts';
import {
  corsProbeOrigin,
  type StoredChain,
  type StoredExchange,
  type WebFetchFailure,
  type WebHttpEvidence,
  webHttpEvidenceSchema,
} from '../../src/evidence/http/web-http-evidence.ts';

export const trustedTls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', verified: true, verifyError: null };
export const untrustedTls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', verified: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' };

export function exchange(url: string, status: number, headers: Record<string, string | string[]> = {}, extra: Partial<StoredExchange> = {}): StoredExchange {
  const pairs: Array<[string, string]> = Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((item): [string, string] => [name.toLowerCase(), item]),
  );
  return {
    url,
    method: 'GET',
    address: '145.100.1.1',
    status,
    headers: pairs,
    bodyTruncated: false,
    bodyProblem: null,
    bodyBytes: 0,
    tls: url.startsWith('https:') ? trustedTls : null,
    durationMs: 12,
    ...extra,
  };
}

export const redirect = (url: string, location: string, status = 301) => exchange(url, status, { location });

export function chain(url: string, hops: StoredExchange[], error: WebFetchFailure | null = null): StoredChain {
  return { url, hops, error, errorDetail: null, errorUrl: error ? url : null, refusedAddresses: [] };
}

export function htmlPage(facts: Partial<HtmlFacts> = {}): HtmlFacts {
  return { scripts: [], scriptCount: 0, metas: [], baseHref: null, ...facts };
}

export interface SiteShape {
  host?: string;
  /** Headers of the https home page (content-type text/html by default). */
  headers?: Record<string, string | string[]>;
  status?: number;
  http?: StoredChain;
  https?: StoredChain;
  cors?: StoredChain | null;
  html?: HtmlFacts | null;
}

/** A site whose http:// redirects to https:// on the same host, which answers with `headers`. */
export function webEvidence(shape: SiteShape = {}): WebHttpEvidence {
  const host = shape.host ?? 'bakkerij.nl';
  const home = exchange(`https://${host}/`, shape.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...shape.headers });
  const https = shape.https ?? chain(`https://${host}/`, [home]);
  const http = shape.http ?? chain(`http://${host}/`, [redirect(`http://${host}/`, `https://${host}/`), home]);
  const last = https.hops.at(-1) ?? http.hops.at(-1);
  const evidence: WebHttpEvidence = {
    host,
    http,
    https,
    robots: chain(`https://${host}/robots.txt`, [exchange(`https://${host}/robots.txt`, 200, { 'content-type': 'text/plain' })]),
    cors: shape.cors === undefined ? chain(`https://${host}/`, [exchange(`https://${host}/`, 204, {}, { method: 'OPTIONS' })]) : shape.cors,
    corsOrigin: corsProbeOrigin,
    page: last
      ? {
          scheme: last.url.startsWith('https:') ? 'https' : 'http',
          url: last.url,
          status: last.status,
          contentType: last.headers.find(([name]) => name === 'content-type')?.[1] ?? null,
          bodyBytes: 100,
          bodyTruncated: false,
          html: shape.html === undefined ? htmlPage() : shape.html,
        }
      : null,
    durationMs: 40,
  };
  return webHttpEvidenceSchema.parse(evidence);
}
