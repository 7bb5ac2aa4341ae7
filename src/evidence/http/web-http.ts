// Gather what a visitor's browser (and the MDN HTTP Observatory) sees of a domain's website:
//   1. GET http://host/ and GET https://host/, each following its redirects;
//   2. the home page: the https answer when that session worked, else the http one;
//   3. GET /robots.txt on that session's site (cookies handed to crawlers count too);
//   4. an OPTIONS CORS preflight from a foreign Origin to where the home page ended up;
//   5. the facts about the page's HTML that grading needs (scripts, <meta> policies).
// Passive: nothing a normal visitor would not request. Every request goes through the bounded
// HTTP client; every failure is evidence, never an exception.
import type { Evidence } from '../../checks/types.ts';
import { type FetchChainResult, type FetchOptions, fetchChain, type HttpExchange, sharedFetchesFor } from '../../net/http-client.ts';
import type { AddressLookup, Resolver } from '../../net/resolver.ts';
import { htmlFacts } from './html-facts.ts';
import {
  corsProbeOrigin,
  maxHeadersPerResponse,
  maxHeaderValueLength,
  type StoredChain,
  type StoredExchange,
  type StoredPage,
  sessionView,
  type WebFetchFailure,
  type WebHttpEvidence,
  webHttpEvidenceKind,
  webHttpEvidenceSchema,
} from './web-http-evidence.ts';

export interface WebHttpGatherOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  timeoutMs: number;
  extraCa?: string[];
  signal?: AbortSignal;
  /** Ports, for fixtures that cannot use 80 and 443. */
  httpPort?: number;
  httpsPort?: number;
  /**
   * Gatherers of one scan passing the same object (the scan's gather context) fetch the home
   * pages once: the leak gatherers ask for the same https:// and http:// pages.
   */
  shareKey?: object;
}

/** The MIME types the Observatory treats as HTML (exact match on the part before `;`). */
export const htmlTypes: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);

const robotsBodyCap = 64 * 1024;

/** One DNS answer per name for the whole gathering: the same name is asked up to four times. */
function rememberingResolver(resolver: Resolver): Resolver {
  const answers = new Map<string, Promise<AddressLookup>>();
  const lookupAddresses = (host: string) => {
    const key = host.toLowerCase();
    let answer = answers.get(key);
    if (!answer) {
      answer = resolver.lookupAddresses(host);
      answers.set(key, answer);
    }
    return answer;
  };
  return { ...resolver, lookupAddresses, resolveAddresses: async (host: string) => (await lookupAddresses(host)).addresses };
}

function storedExchange(exchange: HttpExchange): StoredExchange {
  return {
    url: exchange.url.slice(0, 2048),
    method: exchange.method as StoredExchange['method'],
    address: exchange.address.slice(0, 64),
    status: exchange.status,
    headers: exchange.headers
      .slice(0, maxHeadersPerResponse)
      .map(([name, value]): [string, string] => [name.slice(0, 256), value.slice(0, maxHeaderValueLength)]),
    bodyTruncated: exchange.bodyTruncated,
    bodyProblem: exchange.bodyProblem ?? null,
    bodyBytes: exchange.bodyBytes,
    tls: exchange.tls,
    durationMs: Math.max(0, Math.round(exchange.durationMs)),
  };
}

function storedChain(url: string, result: FetchChainResult): StoredChain {
  const error: WebFetchFailure | null = result.error ?? null;
  return {
    url: url.slice(0, 2048),
    hops: result.hops.slice(0, 12).map(storedExchange),
    error,
    errorDetail: result.errorDetail?.slice(0, 256) ?? null,
    errorUrl: result.errorUrl?.slice(0, 2048) ?? null,
    refusedAddresses: (result.refusedAddresses ?? []).slice(0, 16),
  };
}

function siteUrl(scheme: 'http' | 'https', host: string, port: number | undefined, path = '/'): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  return `${scheme}://${host}${port === undefined || port === defaultPort ? '' : `:${port}`}${path}`;
}

function pageOf(scheme: 'http' | 'https', final: HttpExchange | undefined): StoredPage | null {
  if (!final) return null;
  const contentType = final.headers.find(([name]) => name === 'content-type')?.[1] ?? null;
  const isHtml = htmlTypes.has((contentType ?? '').split(';')[0] as string);
  const body = final.body ?? '';
  return {
    scheme,
    url: final.url.slice(0, 2048),
    status: final.status,
    contentType: contentType?.slice(0, 256) ?? null,
    bodyBytes: final.bodyBytes,
    bodyTruncated: final.bodyTruncated,
    html: isHtml && body !== '' ? htmlFacts(body) : null,
  };
}

/** The last answer of a chain the Observatory would accept as a session (see sessionView). */
function lastAnswer(result: FetchChainResult): HttpExchange | undefined {
  return result.final ?? (result.error === 'too_many_redirects' || result.error === 'redirect_loop' ? result.hops.at(-1) : undefined);
}

export async function gatherWebHttpEvidence(host: string, options: WebHttpGatherOptions): Promise<Evidence<WebHttpEvidence>> {
  const started = Date.now();
  try {
    return await gather(host, options, started);
  } catch (error) {
    // Only a bug gets here (every network failure is evidence already); a scan must go on.
    const broken = (url: string): StoredChain => ({ url, hops: [], error: 'aborted', errorDetail: `internal: ${String((error as Error)?.message ?? error).slice(0, 200)}`, errorUrl: null, refusedAddresses: [] });
    const data: WebHttpEvidence = {
      host: host.slice(0, 253),
      http: broken(siteUrl('http', host, options.httpPort).slice(0, 2048)),
      https: broken(siteUrl('https', host, options.httpsPort).slice(0, 2048)),
      robots: null,
      cors: null,
      corsOrigin: corsProbeOrigin,
      page: null,
      durationMs: Date.now() - started,
    };
    return { kind: webHttpEvidenceKind, gatheredAt: new Date().toISOString(), data };
  }
}

async function gather(host: string, options: WebHttpGatherOptions, started: number): Promise<Evidence<WebHttpEvidence>> {
  const fetchOptions: FetchOptions = {
    resolver: rememberingResolver(options.resolver),
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs,
    extraCa: options.extraCa ?? [],
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const httpUrl = siteUrl('http', host, options.httpPort);
  const httpsUrl = siteUrl('https', host, options.httpsPort);
  const homeOptions: FetchOptions = options.shareKey ? { ...fetchOptions, shared: sharedFetchesFor(options.shareKey) } : fetchOptions;
  const [httpResult, httpsResult] = await Promise.all([fetchChain(httpUrl, homeOptions), fetchChain(httpsUrl, homeOptions)]);
  const http = storedChain(httpUrl, httpResult);
  const https = storedChain(httpsUrl, httpsResult);

  // The Observatory reads the https session when it has one, the http session otherwise.
  const httpsSession = sessionView(https);
  const useHttps = httpsSession.response !== null;
  const session = useHttps ? httpsSession : sessionView(http);
  const sessionUrl = useHttps ? httpsUrl : httpUrl;
  const page = session.response ? pageOf(useHttps ? 'https' : 'http', lastAnswer(useHttps ? httpsResult : httpResult)) : null;

  let robots: StoredChain | null = null;
  let cors: StoredChain | null = null;
  if (session.response) {
    const robotsUrl = new URL('/robots.txt', sessionUrl).href;
    const preflight = (url: string) =>
      fetchChain(url, { ...fetchOptions, method: 'OPTIONS', readBody: false, headers: { 'access-control-request-method': 'GET', origin: corsProbeOrigin } });
    const robotsFetch = fetchChain(robotsUrl, { ...fetchOptions, headers: { accept: 'text/plain,*/*;q=0.8' }, maxBodyBytes: robotsBodyCap });
    const lastUrl = session.history.at(-1)?.url ?? sessionUrl;
    if (session.verified) {
      const [robotsResult, corsResult] = await Promise.all([robotsFetch, preflight(lastUrl)]);
      robots = storedChain(robotsUrl, robotsResult);
      cors = storedChain(lastUrl, corsResult);
    } else {
      // In an unverified session the Observatory's robots.txt answer joins the redirect history,
      // so its preflight goes to /robots.txt: ask the same so the grades can agree.
      const robotsResult = await robotsFetch;
      robots = storedChain(robotsUrl, robotsResult);
      const corsUrl = robotsResult.final ? robotsUrl : lastUrl;
      cors = storedChain(corsUrl, await preflight(corsUrl));
    }
  }

  const data: WebHttpEvidence = {
    host: host.slice(0, 253),
    http,
    https,
    robots,
    cors,
    corsOrigin: corsProbeOrigin,
    page,
    durationMs: Date.now() - started,
  };
  return { kind: webHttpEvidenceKind, gatheredAt: new Date().toISOString(), data: webHttpEvidenceSchema.parse(data) };
}
