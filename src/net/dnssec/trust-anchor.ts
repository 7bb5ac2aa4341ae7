// DNSSEC trust anchors: DS or DNSKEY records in zone-file format (the format of
// `cybermonitor scan --trust-anchor FILE` and of src/data/trust-anchors/root.zone).
import { readFileSync } from 'node:fs';
import { AppError } from '../../errors.ts';
import { normaliseName } from './names.ts';
import type { Dnskey, Ds } from './rdata.ts';

export interface TrustAnchor {
  /** The zone the anchor is for ('.' for the root). */
  owner: string;
  ds: Ds[];
  keys: Dnskey[];
}

const maxAnchorText = 64 * 1024;
const maxRecords = 100;

const invalid = (line: number, reason: string) =>
  new AppError('validation', 'checks.dns.trust_anchor.invalid', { params: { line, reason: reason.slice(0, 100) } });

/** Logical records: comments dropped, parenthesised continuations joined, with their first line number. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const lines: Array<{ line: number; text: string }> = [];
  let buffer = '';
  let start = 0;
  let depth = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    let content = '';
    let quoted = false;
    for (const character of raw) {
      if (character === '"') quoted = !quoted;
      if (character === ';' && !quoted) break;
      if (!quoted && character === '(') {
        depth += 1;
        content += ' ';
        continue;
      }
      if (!quoted && character === ')') {
        depth -= 1;
        content += ' ';
        continue;
      }
      content += character;
    }
    if (depth < 0) throw invalid(index + 1, 'unbalanced parenthesis');
    if (buffer === '') start = index + 1;
    buffer += ` ${content}`;
    if (depth === 0) {
      if (buffer.trim() !== '') lines.push({ line: start, text: buffer.trim() });
      buffer = '';
    }
  });
  if (depth !== 0) throw invalid(start, 'unbalanced parenthesis');
  return lines;
}

function parseInteger(token: string | undefined, max: number, line: number, what: string): number {
  if (token === undefined || !/^\d+$/.test(token) || Number(token) > max) throw invalid(line, `${what} expected`);
  return Number(token);
}

/** Parse trust anchors; throws a validation AppError naming the line of the first problem. */
export function parseTrustAnchors(text: string): TrustAnchor[] {
  if (text.length > maxAnchorText) throw invalid(0, 'file too large');
  const anchors = new Map<string, TrustAnchor>();
  let origin: string | undefined;
  let count = 0;
  for (const { line, text: record } of logicalLines(text)) {
    const tokens = record.replace(/"/g, '').split(/\s+/);
    if (tokens[0]?.toUpperCase() === '$ORIGIN') {
      origin = normaliseName(tokens[1] ?? '.');
      continue;
    }
    if (tokens[0]?.toUpperCase() === '$TTL') continue;
    let ownerToken = tokens.shift() ?? '';
    if (ownerToken === '@') {
      if (origin === undefined) throw invalid(line, '@ without $ORIGIN');
      ownerToken = origin === '.' ? '.' : `${origin}.`;
    }
    if (!ownerToken.endsWith('.')) {
      if (origin === undefined) throw invalid(line, 'owner name must end with a dot');
      ownerToken = origin === '.' ? `${ownerToken}.` : `${ownerToken}.${origin}.`;
    }
    let owner: string;
    try {
      owner = normaliseName(ownerToken);
    } catch {
      throw invalid(line, 'owner name');
    }
    // Optional TTL and class, in either order.
    while (tokens.length > 0 && (/^\d+$/.test(tokens[0] as string) || /^(IN|CH|HS)$/i.test(tokens[0] as string))) {
      const token = tokens.shift() as string;
      if (/^(CH|HS)$/i.test(token)) throw invalid(line, 'class must be IN');
    }
    const type = (tokens.shift() ?? '').toUpperCase();
    const anchor = anchors.get(owner) ?? { owner, ds: [], keys: [] };
    if (type === 'DS') {
      const keyTag = parseInteger(tokens[0], 65535, line, 'key tag');
      const algorithm = parseInteger(tokens[1], 255, line, 'algorithm');
      const digestType = parseInteger(tokens[2], 255, line, 'digest type');
      const hex = tokens.slice(3).join('');
      if (!/^([0-9a-f]{2})+$/i.test(hex)) throw invalid(line, 'digest must be hexadecimal');
      anchor.ds.push({ keyTag, algorithm, digestType, digest: Buffer.from(hex, 'hex') });
    } else if (type === 'DNSKEY') {
      const flags = parseInteger(tokens[0], 65535, line, 'flags');
      const protocol = parseInteger(tokens[1], 255, line, 'protocol');
      const algorithm = parseInteger(tokens[2], 255, line, 'algorithm');
      const base64 = tokens.slice(3).join('');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalid(line, 'public key must be base64');
      if (protocol !== 3) throw invalid(line, 'protocol must be 3');
      anchor.keys.push({ flags, protocol, algorithm, publicKey: Buffer.from(base64, 'base64') });
    } else {
      throw invalid(line, 'only DS and DNSKEY records');
    }
    anchors.set(owner, anchor);
    count += 1;
    if (count > maxRecords) throw invalid(line, 'too many records');
  }
  if (anchors.size === 0) throw invalid(0, 'no DS or DNSKEY record');
  return [...anchors.values()];
}

export function readTrustAnchorFile(path: string): TrustAnchor[] {
  return parseTrustAnchors(loadTrustAnchorText(path));
}

export const rootTrustAnchorFile = new URL('../../data/trust-anchors/root.zone', import.meta.url);

let rootAnchors: TrustAnchor[] | undefined;
/** The IANA root anchors shipped with the product. */
export function rootTrustAnchors(): TrustAnchor[] {
  rootAnchors ??= parseTrustAnchors(readFileSync(rootTrustAnchorFile, 'utf8'));
  return rootAnchors;
}

/** The text of a trust anchor file, checked to parse; throws a validation AppError otherwise. */
export function loadTrustAnchorText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('validation', 'checks.dns.trust_anchor.unreadable', { params: { path: path.slice(0, 200) }, cause: error });
  }
  parseTrustAnchors(text);
  return text;
}
