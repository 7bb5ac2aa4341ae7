// A client for RDAP, the Registration Data Access Protocol for domain names: the IANA bootstrap
// registry (RFC 9224) says which RDAP server serves a top-level domain, the server answers
// `GET <base>domain/<name>` with JSON (RFC 9083): events (registration, expiration, last
// changed), entities (the registrar) and status values. Fetched with the scanner's bounded
// HTTP client; every failure is a reason code, never an exception.
import { fetchChain, type FetchOptions } from '../../net/http-client.ts';

export interface RdapDomain {
  expiration: string | null;
  registration: string | null;
  lastChanged: string | null;
  registrar: string | null;
  statuses: string[];
}

export type RdapLookup =
  | { outcome: 'found'; rdapUrl: string; httpStatus: number; domain: RdapDomain }
  | { outcome: 'not_found'; rdapUrl: string; httpStatus: number }
  | { outcome: 'no_service' }
  | { outcome: 'failed'; failure: string; rdapUrl: string | null; httpStatus: number | null };

export type RdapFetchOptions = Pick<FetchOptions, 'resolver' | 'allowPrivate' | 'timeoutMs' | 'extraCa' | 'signal'>;

const bootstrapTtlMs = 24 * 60 * 60 * 1000;
const maxBootstrapBytes = 1024 * 1024;
const maxRdapBytes = 512 * 1024;
const bootstrapCache = new Map<string, { expires: number; services: Array<[string[], string[]]> }>();

function asServices(json: unknown): Array<[string[], string[]]> | undefined {
  const services = (json as { services?: unknown })?.services;
  if (!Array.isArray(services)) return undefined;
  return services.flatMap((service): Array<[string[], string[]]> => {
    if (!Array.isArray(service) || !Array.isArray(service[0]) || !Array.isArray(service[1])) return [];
    const labels = (service[0] as unknown[]).filter((label): label is string => typeof label === 'string').map((label) => label.toLowerCase());
    const urls = (service[1] as unknown[]).filter((entry): entry is string => typeof entry === 'string' && /^https?:\/\//i.test(entry));
    return [[labels, urls]];
  });
}

async function getJson(url: string, options: RdapFetchOptions, maxBodyBytes: number): Promise<{ json: unknown; status: number } | { failure: string; status: number | null }> {
  const fetched = await fetchChain(url, {
    ...options,
    maxRedirects: 3,
    maxBodyBytes,
    headers: { accept: 'application/rdap+json, application/json;q=0.9' },
  });
  if (!fetched.final) return { failure: fetched.error ?? 'no_response', status: null };
  const { status, body, bodyTruncated } = fetched.final;
  if (status === 404) return { failure: 'not_found', status };
  if (status < 200 || status > 299) return { failure: 'http_status', status };
  if (bodyTruncated || body === undefined) return { failure: 'body_incomplete', status };
  try {
    return { json: JSON.parse(body), status };
  } catch {
    return { failure: 'not_json', status };
  }
}

/** The RDAP base URLs for a domain from the bootstrap file (longest matching label suffix). */
export async function rdapBaseUrls(domain: string, bootstrapUrl: string, options: RdapFetchOptions): Promise<string[] | { failure: string }> {
  let cached = bootstrapCache.get(bootstrapUrl);
  if (!cached || cached.expires < Date.now()) {
    const fetched = await getJson(bootstrapUrl, options, maxBootstrapBytes);
    if ('failure' in fetched) return { failure: 'bootstrap_failed' };
    const services = asServices(fetched.json);
    if (!services) return { failure: 'bootstrap_invalid' };
    cached = { expires: Date.now() + bootstrapTtlMs, services };
    bootstrapCache.set(bootstrapUrl, cached);
  }
  const labels = domain.toLowerCase().split('.');
  for (let start = 1; start < labels.length; start += 1) {
    const suffix = labels.slice(start).join('.');
    const service = cached.services.find(([entries]) => entries.includes(suffix));
    if (service) return [...service[1]].sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')));
  }
  return [];
}

const isoOrNull = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};

function registrarOf(json: Record<string, unknown>): string | null {
  const entities = Array.isArray(json.entities) ? (json.entities as Array<Record<string, unknown>>) : [];
  for (const entity of entities.slice(0, 50)) {
    if (!Array.isArray(entity?.roles) || !(entity.roles as unknown[]).includes('registrar')) continue;
    const card = Array.isArray(entity.vcardArray) ? (entity.vcardArray[1] as unknown[]) : [];
    const fn = Array.isArray(card) ? card.find((property) => Array.isArray(property) && property[0] === 'fn') : undefined;
    if (Array.isArray(fn) && typeof fn[3] === 'string') return fn[3].slice(0, 300);
    if (typeof entity.handle === 'string') return entity.handle.slice(0, 300);
  }
  return null;
}

/** Parse an RDAP domain object (RFC 9083 section 5.3). */
export function parseRdapDomain(json: unknown): RdapDomain | undefined {
  if (!json || typeof json !== 'object' || (json as { objectClassName?: unknown }).objectClassName !== 'domain') return undefined;
  const object = json as Record<string, unknown>;
  const events = Array.isArray(object.events) ? (object.events as Array<Record<string, unknown>>).slice(0, 50) : [];
  const event = (action: string) => isoOrNull(events.find((entry) => entry?.eventAction === action)?.eventDate);
  return {
    expiration: event('expiration'),
    registration: event('registration'),
    lastChanged: event('last changed'),
    registrar: registrarOf(object),
    statuses: (Array.isArray(object.status) ? (object.status as unknown[]) : []).filter((status): status is string => typeof status === 'string').slice(0, 20).map((status) => status.slice(0, 100)),
  };
}

export async function lookupRdapDomain(domain: string, bootstrapUrl: string, options: RdapFetchOptions): Promise<RdapLookup> {
  const bases = await rdapBaseUrls(domain, bootstrapUrl, options);
  if ('failure' in bases) return { outcome: 'failed', failure: bases.failure, rdapUrl: null, httpStatus: null };
  const base = bases[0];
  if (base === undefined) return { outcome: 'no_service' };
  const rdapUrl = `${base.endsWith('/') ? base : `${base}/`}domain/${encodeURIComponent(domain)}`;
  const fetched = await getJson(rdapUrl, options, maxRdapBytes);
  if ('failure' in fetched) {
    if (fetched.failure === 'not_found' && fetched.status !== null) return { outcome: 'not_found', rdapUrl, httpStatus: fetched.status };
    return { outcome: 'failed', failure: fetched.failure, rdapUrl, httpStatus: fetched.status };
  }
  const parsed = parseRdapDomain(fetched.json);
  if (!parsed) return { outcome: 'failed', failure: 'not_a_domain_object', rdapUrl, httpStatus: fetched.status };
  return { outcome: 'found', rdapUrl, httpStatus: fetched.status, domain: parsed };
}
