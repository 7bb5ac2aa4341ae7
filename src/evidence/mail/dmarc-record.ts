// Parsing a DMARC record (RFC 7489 §6.3, with the tags its successor DMARCbis adds: np, t,
// psd). Pure: no I/O. Every problem becomes an error with a stable code, so a person is told
// exactly which tag is wrong instead of "invalid record".
export const dmarcPolicies = ['none', 'quarantine', 'reject'] as const;
export type DmarcPolicy = (typeof dmarcPolicies)[number];

export const dmarcErrorCodes = [
  'version',
  'tag_malformed',
  'duplicate_tag',
  'p_missing',
  'p_invalid',
  'sp_invalid',
  'np_invalid',
  'pct_invalid',
  'adkim_invalid',
  'aspf_invalid',
  'uri_invalid',
  'fo_invalid',
  'ri_invalid',
  't_invalid',
] as const;
export type DmarcErrorCode = (typeof dmarcErrorCodes)[number];

export interface DmarcError {
  code: DmarcErrorCode;
  tag: string;
  value: string;
}

export interface DmarcReportUri {
  uri: string;
  /** The mailbox's domain for mailto: URIs, lowercase; null for other schemes. */
  domain: string | null;
}

export interface DmarcRecord {
  p: DmarcPolicy | null;
  sp: DmarcPolicy | null;
  np: DmarcPolicy | null;
  pct: number;
  /** DMARCbis testing mode (t=y), the successor of pct. */
  testing: boolean;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  rua: DmarcReportUri[];
  ruf: DmarcReportUri[];
  fo: string | null;
  ri: number | null;
  errors: DmarcError[];
}

/** A TXT record that claims to be DMARC (any case, so a mistyped version is reported, not ignored). */
export function looksLikeDmarc(text: string): boolean {
  return /^\s*v\s*=\s*dmarc1\s*(?:;|$)/i.test(text);
}

const maxUris = 20;
const bounded = (text: string, max = 200): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);

function parsePolicy(value: string): DmarcPolicy | undefined {
  const lower = value.toLowerCase();
  return (dmarcPolicies as readonly string[]).includes(lower) ? (lower as DmarcPolicy) : undefined;
}

// dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]; in practice mailto:local@domain.
function parseUri(raw: string): DmarcReportUri | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:[^!\s]+)(?:!\d+[kmgtKMGT]?)?$/.exec(raw);
  if (!match) return undefined;
  const uri = match[1] as string;
  if (!uri.toLowerCase().startsWith('mailto:')) return URL.canParse(uri) ? { uri, domain: null } : undefined;
  const mailbox = decodeURIComponentSafe(uri.slice('mailto:'.length));
  const at = mailbox.lastIndexOf('@');
  const domain = at > 0 ? mailbox.slice(at + 1).toLowerCase().replace(/\.$/, '') : '';
  if (!/^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(domain)) return undefined;
  return { uri, domain };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseDmarcRecord(text: string): DmarcRecord {
  const record: DmarcRecord = {
    p: null,
    sp: null,
    np: null,
    pct: 100,
    testing: false,
    adkim: 'r',
    aspf: 'r',
    rua: [],
    ruf: [],
    fo: null,
    ri: null,
    errors: [],
  };
  const error = (code: DmarcErrorCode, tag: string, value: string) => {
    if (record.errors.length < 20) record.errors.push({ code, tag: bounded(tag, 40), value: bounded(value) });
  };
  const parts = text.split(';').map((part) => part.trim());
  if (parts.at(-1) === '') parts.pop();
  const seen = new Set<string>();
  for (const [index, part] of parts.entries()) {
    const match = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$/s.exec(part);
    if (!match) {
      error('tag_malformed', '', part);
      continue;
    }
    const tag = (match[1] as string).toLowerCase();
    const value = (match[2] as string).trim();
    if (index === 0) {
      // RFC 7489 §6.3: the version comes first and is exactly "DMARC1".
      if (tag !== 'v' || value !== 'DMARC1') error('version', tag, value);
      continue;
    }
    if (tag === 'v') {
      error('version', tag, value);
      continue;
    }
    if (seen.has(tag)) {
      error('duplicate_tag', tag, value);
      continue;
    }
    seen.add(tag);
    switch (tag) {
      case 'p':
      case 'sp':
      case 'np': {
        const policy = parsePolicy(value);
        if (policy) record[tag] = policy;
        else error(`${tag}_invalid`, tag, value);
        break;
      }
      case 'pct':
        if (/^\d{1,3}$/.test(value) && Number(value) <= 100) record.pct = Number(value);
        else error('pct_invalid', tag, value);
        break;
      case 'adkim':
      case 'aspf': {
        const mode = value.toLowerCase();
        if (mode === 'r' || mode === 's') record[tag] = mode;
        else error(`${tag}_invalid`, tag, value);
        break;
      }
      case 'rua':
      case 'ruf':
        for (const raw of value.split(',').map((uri) => uri.trim()).slice(0, maxUris)) {
          const uri = parseUri(raw);
          if (uri) record[tag].push({ uri: bounded(uri.uri, 300), domain: uri.domain });
          else error('uri_invalid', tag, raw);
        }
        break;
      case 'fo':
        if (/^[01ds](?:\s*:\s*[01ds])*$/i.test(value)) record.fo = value.toLowerCase().replace(/\s/g, '');
        else error('fo_invalid', tag, value);
        break;
      case 'ri':
        if (/^\d{1,10}$/.test(value)) record.ri = Number(value);
        else error('ri_invalid', tag, value);
        break;
      case 't':
        if (/^[yn]$/i.test(value)) record.testing = value.toLowerCase() === 'y';
        else error('t_invalid', tag, value);
        break;
      default:
        // rf, psd and tags not yet defined: RFC 7489 §6.3 says unknown tags MUST be ignored.
        break;
    }
  }
  if (record.p === null && !record.errors.some((problem) => problem.code === 'p_invalid')) error('p_missing', 'p', '');
  return record;
}
