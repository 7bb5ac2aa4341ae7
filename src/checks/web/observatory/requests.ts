// The view of gathered web evidence that the Observatory's tests read (its "Requests": the http,
// https and chosen home page answers, their redirect histories, the CORS answer, the cookie jar,
// the page's <meta> policies). Re-implemented by hand for Cybermonitor from reading the
// Observatory's retriever (src/retriever); see expectations.ts for the sources.
import { CookieJar, type SerializedCookie } from 'tough-cookie';
import {
  type SessionView,
  type StoredChain,
  type StoredExchange,
  type StoredPage,
  sessionView,
  type WebHttpEvidence,
} from '../../../evidence/http/web-http-evidence.ts';

/** Response headers as the Observatory's HTTP stack hands them over (Node's rules, then axios's). */
export type HeaderView = Map<string, string | string[]>;

export interface ObservatoryResponse {
  url: string;
  status: number;
  verified: boolean;
  headers: HeaderView;
  /** `<meta>` policies: content-security-policy → contents, referrer-policy → [content]. */
  httpEquiv: Map<string, string[]>;
}

export interface RedirectEntry {
  url: URL;
  status: number;
}

export interface ScriptElement {
  /** The DOM's reflected `script.src`. */
  src: string;
  integrity: string | null;
  crossorigin: string | null;
}

export interface ObservatoryRequests {
  hostname: string;
  auto: ObservatoryResponse | null;
  http: ObservatoryResponse | null;
  https: ObservatoryResponse | null;
  cors: ObservatoryResponse | null;
  httpRedirects: RedirectEntry[];
  httpsRedirects: RedirectEntry[];
  /** The first URL of the session the page came from (https://host/ or http://host/). */
  sessionUrl: URL | null;
  cookies: SerializedCookie[];
  /** Script elements of the page, and how many there are (inline ones included). */
  scripts: ScriptElement[];
  scriptCount: number;
  /** The page as text was empty or missing (jsdom parses an empty document then). */
  contentType: string | null;
}

// Node drops repeats of these and keeps the first (node:_http_incoming matchKnownFields).
const singleValueHeaders = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

// axios strips control characters (but tab) and surrounding spaces and tabs from values.
const sanitize = (value: string): string => value.replace(/[\u0000-\u0008\u000a-\u001f\u007f]+/g, '').replace(/^[ \t]+|[ \t]+$/g, '');

export function headerView(headers: StoredExchange['headers']): HeaderView {
  const view: HeaderView = new Map();
  for (const [name, value] of headers) {
    const existing = view.get(name);
    if (name === 'set-cookie') view.set(name, [...((existing as string[] | undefined) ?? []), sanitize(value)]);
    else if (existing === undefined) view.set(name, sanitize(value));
    else if (singleValueHeaders.has(name)) continue;
    else view.set(name, sanitize(`${existing as string}${name === 'cookie' ? '; ' : ', '}${value}`));
  }
  return view;
}

/** Every value of a header (set-cookie gives one per cookie). */
export function headerValuesOf(response: ObservatoryResponse | null, name: string): string[] {
  const value = response?.headers.get(name.toLowerCase());
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function firstHeaderOf(response: ObservatoryResponse | null, name: string): string | null {
  return headerValuesOf(response, name)[0] ?? null;
}

const htmlTypes = new Set(['text/html', 'application/xhtml+xml']);

function metaPolicies(page: StoredPage | null): Map<string, string[]> {
  const policies = new Map<string, string[]>([['content-security-policy', []]]);
  for (const meta of page?.html?.metas ?? []) {
    if (meta.httpEquiv !== null && meta.content !== null) {
      if (meta.content && meta.httpEquiv.toLowerCase().trim() === 'content-security-policy') {
        policies.get('content-security-policy')?.push(meta.content);
      }
    } else if (meta.name?.toLowerCase().trim() === 'referrer' && meta.content) {
      policies.set('referrer-policy', [meta.content]);
    }
  }
  return policies;
}

function responseOf(exchange: StoredExchange | null, verified: boolean): ObservatoryResponse | null {
  if (!exchange) return null;
  return { url: exchange.url, status: exchange.status, verified, headers: headerView(exchange.headers), httpEquiv: new Map() };
}

const entryOf = (exchange: StoredExchange): RedirectEntry => ({ url: new URL(exchange.url), status: exchange.status });

/** An extra request (robots.txt, preflight) as the Observatory's second client makes it. */
function sideRequest(chain: StoredChain | null, sessionVerified: boolean): StoredExchange | null {
  if (!chain || chain.error !== null) return null;
  // That client checks certificates while the session's does; after a retry it does not.
  if (sessionVerified && chain.hops.some((hop) => hop.tls !== null && !hop.tls.verified)) return null;
  return chain.hops.at(-1) ?? null;
}

function cookieJarOf(exchanges: StoredExchange[]): SerializedCookie[] {
  const jar = new CookieJar();
  for (const exchange of exchanges) {
    for (const [name, value] of exchange.headers) {
      if (name === 'set-cookie') jar.setCookieSync(value, exchange.url, { ignoreError: true });
    }
  }
  return jar.serializeSync()?.cookies ?? [];
}

export function observatoryRequests(evidence: WebHttpEvidence): ObservatoryRequests {
  const httpSession: SessionView = sessionView(evidence.http);
  const httpsSession: SessionView = sessionView(evidence.https);
  const useHttps = httpsSession.response !== null;
  const session = useHttps ? httpsSession : httpSession;
  const sessionChainUrl = useHttps ? evidence.https.url : evidence.http.url;

  const http = responseOf(httpSession.response, httpSession.verified);
  const https = responseOf(httpsSession.response, httpsSession.verified);
  const auto = useHttps ? https : http;

  const httpHistory = httpSession.history.map(entryOf);
  const sessionHistory = useHttps ? httpsSession.history.map(entryOf) : httpHistory;
  const cookieSources = [...session.history];

  const robots = sideRequest(evidence.robots, session.verified);
  const cors = sideRequest(evidence.cors, session.verified);
  if (session.response && !session.verified) {
    // After a certificate retry the Observatory's second client shares the session's redirect
    // recorder and (for https) its cookie jar: robots.txt and the preflight join both.
    if (robots && evidence.robots) sessionHistory.push({ url: new URL(evidence.robots.url), status: robots.status });
    if (cors && evidence.cors) sessionHistory.push({ url: new URL(evidence.cors.url), status: cors.status });
    for (const chain of [evidence.robots, evidence.cors]) {
      for (const hop of chain?.hops ?? []) if (hop.url.startsWith('https:')) cookieSources.push(hop);
    }
  }

  const page = session.response ? evidence.page : null;
  const contentType = auto ? firstHeaderOf(auto, 'content-type') : null;
  if (auto && htmlTypes.has((contentType ?? '').split(';')[0] as string) && page?.html) auto.httpEquiv = metaPolicies(page);

  return {
    hostname: evidence.host,
    auto,
    http,
    https,
    cors: responseOf(cors, session.verified),
    // The Observatory hands the http session's history to both (retriever.js).
    httpRedirects: httpHistory,
    httpsRedirects: httpHistory,
    sessionUrl: session.response ? new URL(sessionChainUrl) : null,
    cookies: session.response ? cookieJarOf(cookieSources) : [],
    scripts: (page?.html?.scripts ?? []).map((script) => ({ src: script.resolvedSrc, integrity: script.integrity, crossorigin: script.crossorigin })),
    scriptCount: page?.html?.scriptCount ?? 0,
    contentType,
  };
}
