// MTA-STS (RFC 8461): the `_mta-sts` TXT record, the policy file, and MX pattern matching.
// Pure parsing; the gatherer fetches, the check judges.

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export type MtaStsRecordParse =
  | { ok: true; id: string }
  | { ok: false; error: 'syntax' | 'version' | 'no_id' | 'bad_id'; detail: string };

/** Records that start with `v=STSv1` (RFC 8461 3.1: the others are discarded). */
export function mtaStsRecordsOf(txt: string[]): string[] {
  return txt.filter((record) => /^v=STSv1\s*(;|$)/.test(record));
}

/** One `_mta-sts` record: `v=STSv1; id=20160831085700Z;` (fields `name=value`, `;`-separated). */
export function parseMtaStsRecord(text: string): MtaStsRecordParse {
  const fields: Array<[string, string]> = [];
  const parts = text.split(';');
  if (parts.length > 1 && parts[parts.length - 1]?.trim() === '') parts.pop();
  for (const part of parts) {
    const match = /^\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=([\x21-\x3a\x3c\x3e-\x7e]{1,})\s*$/.exec(part);
    if (!match) return { ok: false, error: 'syntax', detail: part.trim().slice(0, 60) };
    fields.push([match[1] as string, match[2] as string]);
  }
  if (fields[0]?.[0] !== 'v' || fields[0][1] !== 'STSv1') return { ok: false, error: 'version', detail: (fields[0]?.join('=') ?? '').slice(0, 40) };
  const id = fields.find(([name]) => name === 'id')?.[1];
  if (id === undefined) return { ok: false, error: 'no_id', detail: '' };
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) return { ok: false, error: 'bad_id', detail: id.slice(0, 40) };
  return { ok: true, id };
}

export const maxPolicyMaxAge = 31_557_600;

export type MtaStsPolicyProblem =
  | 'no_version'
  | 'bad_version'
  | 'no_mode'
  | 'bad_mode'
  | 'no_max_age'
  | 'bad_max_age'
  | 'no_mx'
  | 'bad_mx'
  | 'bad_line'
  | 'duplicate_key';

export interface MtaStsPolicy {
  mode: MtaStsMode | null;
  maxAge: number | null;
  mx: string[];
  /** Problems that make senders discard the policy. */
  problems: MtaStsPolicyProblem[];
  /** Details for the problems, e.g. the offending line. */
  problemDetails: string[];
}

const mxPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** RFC 8461 3.2: `key: value` lines; version, mode, max_age required, mx required unless mode none. */
export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const policy: MtaStsPolicy = { mode: null, maxAge: null, mx: [], problems: [], problemDetails: [] };
  const problem = (kind: MtaStsPolicyProblem, detail: string) => {
    if (!policy.problems.includes(kind)) policy.problems.push(kind);
    if (policy.problemDetails.length < 10) policy.problemDetails.push(detail.slice(0, 100));
  };
  const seen = new Set<string>();
  let version: string | undefined;
  for (const rawLine of body.split('\n').slice(0, 200)) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const match = /^([A-Za-z0-9_]{1,32}):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) {
      problem('bad_line', line);
      continue;
    }
    const key = match[1] as string;
    const value = match[2] as string;
    if (key !== 'mx' && seen.has(key)) {
      problem('duplicate_key', key);
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'version':
        version = value;
        break;
      case 'mode':
        if (value === 'enforce' || value === 'testing' || value === 'none') policy.mode = value;
        else problem('bad_mode', value);
        break;
      case 'max_age':
        if (/^\d{1,10}$/.test(value) && Number(value) <= maxPolicyMaxAge) policy.maxAge = Number(value);
        else problem('bad_max_age', value);
        break;
      case 'mx': {
        const pattern = value.toLowerCase().replace(/\.$/, '');
        if (mxPattern.test(pattern)) {
          if (policy.mx.length < 50) policy.mx.push(pattern);
        } else problem('bad_mx', value);
        break;
      }
      default:
        break; // extension keys are ignored
    }
  }
  if (version === undefined) problem('no_version', '');
  else if (version !== 'STSv1') problem('bad_version', version);
  if (policy.mode === null && !policy.problems.includes('bad_mode')) problem('no_mode', '');
  if (policy.maxAge === null && !policy.problems.includes('bad_max_age')) problem('no_max_age', '');
  if (policy.mode !== 'none' && policy.mx.length === 0 && !policy.problems.includes('bad_mx')) problem('no_mx', '');
  return policy;
}

/** RFC 8461 4.1: a pattern matches the name itself, or `*.` matches exactly one leftmost label. */
export function mxMatchesPattern(mxHost: string, pattern: string): boolean {
  const host = mxHost.toLowerCase().replace(/\.$/, '');
  const wanted = pattern.toLowerCase().replace(/\.$/, '');
  if (!wanted.startsWith('*.')) return host === wanted;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === wanted.slice(2);
}

/** The MX hosts no pattern of the policy admits. */
export function unmatchedMxHosts(mxHosts: string[], patterns: string[]): string[] {
  return mxHosts.filter((host) => !patterns.some((pattern) => mxMatchesPattern(host, pattern)));
}

/** RFC 8461 3.3: the policy is served as text/plain (parameters such as charset allowed). */
export function isPolicyMediaType(contentType: string | null): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'text/plain';
}
