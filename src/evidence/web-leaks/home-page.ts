// Gather what a site's home page gives away: response headers (server banners), cookie names,
// and facts from its HTML (generator tags, sub-resources, CMS fingerprints). Passive — it asks
// for the home page like any visitor — except that for verified or attested domains it also
// asks for the version file of the CMS it recognised (e.g. Joomla's joomla.xml).
// Every request goes through the bounded HTTP client; failures become evidence.
import type { Evidence } from '../../checks/types.ts';
import { cmsVersionFiles, detectCms } from '../../checks/web/cms-detection.ts';
import { defaultMaxBodyBytes, type FetchChainResult, type FetchOptions, fetchChain, headerValues, sharedFetchesFor } from '../../net/http-client.ts';
import type { Resolver } from '../../net/resolver.ts';
import {
  type HomePageEvidence,
  homePageEvidenceKind,
  homePageEvidenceSchema,
  maxHeaders,
  maxHeaderValue,
  maxVersionFileExcerpt,
  type VersionFile,
} from './home-page-evidence.ts';
import { extractPageFacts } from './page-facts.ts';

export interface LeakGatherOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  timeoutMs: number;
  extraCa?: string[];
  signal?: AbortSignal;
  /** The domain is verified or attested: probes beyond what a visitor asks for are allowed. */
  activeProbes: boolean;
  /**
   * Gatherers of one scan passing the same object (the scan's gather context) fetch the home page
   * once: security.txt and the active probes wait for it and skip a site that does not answer,
   * so a dead site costs one timeout, not three stacked behind the per-host request limit; the
   * web gatherer's request for the same page is shared too.
   */
  shareKey?: object;
}

/** Failures where the other scheme may still answer (nothing listens, or TLS is broken). */
const retryOverHttp = new Set(['connection_refused', 'connection_failed', 'timeout', 'tls_failed', 'no_response']);
/** Failures that mean nobody is there to ask anything else. */
const noSite = new Set([...retryOverHttp, 'no_address', 'dns_timeout', 'dns_failure', 'target_refused']);
/** The web gatherer's cap too, so that both read the one shared answer. */
const homePageBodyCap = defaultMaxBodyBytes;
const versionFileCap = 16 * 1024;

export function fetchOptionsOf(options: LeakGatherOptions): FetchOptions {
  return {
    resolver: options.resolver,
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs,
    extraCa: options.extraCa ?? [],
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** Fetch `path` over https, and over http when https does not answer at all. */
export async function fetchSitePath(domain: string, path: string, fetchOptions: FetchOptions): Promise<{ url: string; result: FetchChainResult }> {
  const httpsUrl = `https://${domain}${path}`;
  const secure = await fetchChain(httpsUrl, fetchOptions);
  if (secure.hops.length > 0 || !retryOverHttp.has(secure.error ?? '')) return { url: httpsUrl, result: secure };
  const plainUrl = `http://${domain}${path}`;
  const plain = await fetchChain(plainUrl, fetchOptions);
  // When neither answers, report the https failure: that is where the site should be.
  return plain.hops.length > 0 ? { url: plainUrl, result: plain } : { url: httpsUrl, result: secure };
}

export function cookieNames(setCookies: string[]): string[] {
  const names = setCookies.map((cookie) => (/^\s*([^=;\s]{1,128})\s*=/.exec(cookie)?.[1] ?? '')).filter((name) => name !== '');
  return [...new Set(names)].slice(0, 50);
}

/** Active probes go only to the verified domain itself or its subdomains (www. ↔ bare name too). */
export function belongsToDomain(url: string, domain: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const name = domain.toLowerCase();
  return host === name || host.endsWith(`.${name}`) || (name.startsWith('www.') && host === name.slice(4));
}

/** A page the parser chokes on yields no facts rather than a failed scan. */
function pageFactsOrNull(body: string, url: string) {
  try {
    return extractPageFacts(body, url);
  } catch {
    return null;
  }
}

const isHtml = (contentType: string | null, body: string) =>
  /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '') || (contentType === null && /^\s*<(!doctype|html)/i.test(body));

async function versionFile(origin: string, path: string, fetchOptions: FetchOptions): Promise<VersionFile> {
  const result = await fetchChain(`${origin}${path}`, { ...fetchOptions, maxRedirects: 0, maxBodyBytes: versionFileCap, headers: { range: `bytes=0-${versionFileCap - 1}` } });
  const answer = result.final ?? result.hops.at(-1);
  return {
    path,
    status: answer?.status ?? null,
    contentType: answer ? (headerValues(answer, 'content-type')[0] ?? null)?.slice(0, 256) ?? null : null,
    excerpt: answer && answer.status >= 200 && answer.status < 300 ? (answer.body ?? '').slice(0, maxVersionFileExcerpt) : '',
  };
}

const sharedHomePages = new WeakMap<object, Map<string, Promise<Evidence<HomePageEvidence>>>>();

export function gatherHomePageEvidence(domain: string, options: LeakGatherOptions): Promise<Evidence<HomePageEvidence>> {
  if (!options.shareKey) return fetchHomePageEvidence(domain, options);
  let byDomain = sharedHomePages.get(options.shareKey);
  if (!byDomain) {
    byDomain = new Map();
    sharedHomePages.set(options.shareKey, byDomain);
  }
  let evidence = byDomain.get(domain);
  if (!evidence) {
    evidence = fetchHomePageEvidence(domain, options);
    byDomain.set(domain, evidence);
  }
  return evidence;
}

/**
 * Why the site as a whole did not answer, when the home page of this scan says so (no connection
 * over https nor http); undefined when it answered, failed otherwise, or no scan shares it.
 */
export async function siteUnreachable(domain: string, options: LeakGatherOptions): Promise<{ error: string; errorDetail: string | null } | undefined> {
  if (!options.shareKey) return undefined;
  const home = (await gatherHomePageEvidence(domain, options)).data;
  if (home.status !== null || home.error === null || !noSite.has(home.error)) return undefined;
  return { error: home.error, errorDetail: home.errorDetail };
}

async function fetchHomePageEvidence(domain: string, options: LeakGatherOptions): Promise<Evidence<HomePageEvidence>> {
  const fetchOptions = fetchOptionsOf(options);
  const shared = options.shareKey ? { shared: sharedFetchesFor(options.shareKey) } : {};
  const { url, result } = await fetchSitePath(domain, '/', { ...fetchOptions, ...shared, maxBodyBytes: homePageBodyCap });
  const final = result.final;
  const contentType = final ? (headerValues(final, 'content-type')[0] ?? null) : null;
  const body = final?.body ?? '';
  const data: HomePageEvidence = {
    requestedUrl: url,
    finalUrl: final?.url.slice(0, 2048) ?? null,
    status: final?.status ?? null,
    redirects: result.hops.slice(0, 12).map((hop) => ({ url: hop.url.slice(0, 2048), status: hop.status })),
    error: final ? null : (result.error ?? 'no_response'),
    errorDetail: final ? null : (result.errorDetail?.slice(0, 256) ?? null),
    headers: (final?.headers ?? []).slice(0, maxHeaders).map(([name, value]): [string, string] => [name.slice(0, 256), value.slice(0, maxHeaderValue)]),
    // Every hop's cookies count: a CMS often sets its session cookie on the redirect.
    cookieNames: cookieNames(result.hops.flatMap((hop) => headerValues(hop, 'set-cookie'))),
    contentType: contentType?.slice(0, 256) ?? null,
    bodyTruncated: final?.bodyTruncated ?? false,
    page: final && isHtml(contentType, body) ? pageFactsOrNull(body, final.url) : null,
    versionFilesProbed: false,
    versionFiles: [],
  };

  const detected = final && options.activeProbes ? detectCms(homePageEvidenceSchema.parse(data)) : undefined;
  if (final && detected && belongsToDomain(final.url, domain)) {
    const origin = new URL(final.url).origin;
    data.versionFilesProbed = true;
    for (const path of cmsVersionFiles[detected.cms]) {
      if (options.signal?.aborted) break;
      data.versionFiles.push(await versionFile(origin, path, fetchOptions));
    }
  }
  return { kind: homePageEvidenceKind, gatheredAt: new Date().toISOString(), data: homePageEvidenceSchema.parse(data) };
}
