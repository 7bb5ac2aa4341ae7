// SMTP TLS Reporting (RFC 8460 section 3): the `_smtp._tls` TXT record. Pure parsing.

export type TlsRptRecordParse =
  | { ok: true; destinations: Array<{ scheme: 'mailto' | 'https'; uri: string }> }
  | { ok: false; error: 'syntax' | 'version' | 'no_rua' | 'bad_rua'; detail: string };

/** Records that start with `v=TLSRPTv1` (RFC 8460 3: the others are discarded). */
export function tlsRptRecordsOf(txt: string[]): string[] {
  return txt.filter((record) => /^v=TLSRPTv1\s*(;|$)/.test(record));
}

const maxDestinations = 10;

export function parseTlsRptRecord(text: string): TlsRptRecordParse {
  const parts = text.split(';');
  if (parts.length > 1 && parts[parts.length - 1]?.trim() === '') parts.pop();
  const fields: Array<[string, string]> = [];
  for (const part of parts) {
    const match = /^\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=([^;]*?)\s*$/.exec(part);
    if (!match || (match[2] as string) === '') return { ok: false, error: 'syntax', detail: part.trim().slice(0, 60) };
    fields.push([match[1] as string, match[2] as string]);
  }
  if (fields[0]?.[0] !== 'v' || fields[0][1] !== 'TLSRPTv1') return { ok: false, error: 'version', detail: (fields[0]?.join('=') ?? '').slice(0, 40) };
  const rua = fields.find(([name]) => name === 'rua')?.[1];
  if (rua === undefined) return { ok: false, error: 'no_rua', detail: '' };
  const destinations: Array<{ scheme: 'mailto' | 'https'; uri: string }> = [];
  for (const raw of rua.split(',').slice(0, maxDestinations)) {
    const uri = raw.trim();
    if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(uri)) destinations.push({ scheme: 'mailto', uri: uri.slice(0, 256) });
    else if (/^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/i.test(uri)) destinations.push({ scheme: 'https', uri: uri.slice(0, 256) });
    else return { ok: false, error: 'bad_rua', detail: uri.slice(0, 100) };
  }
  return { ok: true, destinations };
}
