// Names from Certificate Transparency through a crt.sh-compatible search API: GET
// `<base>?q=%.<domain>&output=json` answers a JSON array of certificate entries whose
// `name_value` holds the names of each certificate, one per line. Expired certificates are kept
// on purpose: a forgotten name from an old certificate is exactly where dangling CNAMEs hide.
import { fetchChain, type FetchOptions } from '../../net/http-client.ts';

export type CtStatus = 'ok' | 'failed' | 'too_large' | 'invalid';

export interface CtNames {
  status: CtStatus;
  names: string[];
  detail: string | null;
}

const maxBodyBytes = 8 * 1024 * 1024;
const maxNames = 200;

export function ctSearchUrl(base: string, domain: string): string {
  const url = new URL(base);
  url.searchParams.set('q', `%.${domain}`);
  url.searchParams.set('output', 'json');
  return url.href;
}

export async function certificateTransparencyNames(
  domain: string,
  base: string,
  options: Pick<FetchOptions, 'resolver' | 'allowPrivate' | 'timeoutMs' | 'extraCa' | 'signal'>,
): Promise<CtNames> {
  let url: string;
  try {
    url = ctSearchUrl(base, domain);
  } catch {
    return { status: 'failed', names: [], detail: 'invalid_url' };
  }
  const fetched = await fetchChain(url, { ...options, maxRedirects: 2, maxBodyBytes, headers: { accept: 'application/json' } });
  if (!fetched.final) return { status: 'failed', names: [], detail: fetched.error ?? 'no_response' };
  const { status, body, bodyTruncated, bodyProblem } = fetched.final;
  if (status < 200 || status > 299) return { status: 'failed', names: [], detail: `http_${status}` };
  if (bodyTruncated || body === undefined) return { status: bodyProblem === 'too_large' ? 'too_large' : 'failed', names: [], detail: bodyProblem ?? 'no_body' };
  let entries: unknown;
  try {
    entries = JSON.parse(body);
  } catch {
    return { status: 'invalid', names: [], detail: 'not_json' };
  }
  if (!Array.isArray(entries)) return { status: 'invalid', names: [], detail: 'not_an_array' };
  const names = new Set<string>();
  for (const entry of entries) {
    const values = [(entry as { name_value?: unknown })?.name_value, (entry as { common_name?: unknown })?.common_name];
    for (const value of values) {
      if (typeof value !== 'string') continue;
      for (const raw of value.split(/\s+/)) {
        const name = raw.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
        if ((name === domain || name.endsWith(`.${domain}`)) && /^[a-z0-9._-]+$/.test(name) && name.length <= 253) names.add(name);
        if (names.size >= maxNames) return { status: 'ok', names: [...names], detail: 'capped' };
      }
    }
  }
  return { status: 'ok', names: [...names], detail: null };
}
