// The Public Suffix List (https://publicsuffix.org/list/, a copy with its MPL 2.0 licence in
// src/data/psl/) and what DMARC builds on it: the public suffix of a name, its registrable
// domain, and the organisational domain of RFC 7489 §3.2. Names are matched in their ASCII
// (punycode) form; answers keep the form they were asked in.
import { readFileSync } from 'node:fs';
import { domainToASCII } from 'node:url';

export type RuleSection = 'icann' | 'private';

export interface PublicSuffixList {
  /** Normal rules (`com`, `co.uk`), in ASCII. */
  rules: Map<string, RuleSection>;
  /** Wildcard rules by what follows `*.`: `*.ck` is stored as `ck`. */
  wildcards: Map<string, RuleSection>;
  /** Exception rules without the `!`: `!www.ck` is stored as `www.ck`. */
  exceptions: Map<string, RuleSection>;
}

export interface SuffixOptions {
  /** Also honour the PRIVATE section (blogspot.com, …); on by default, as the list intends. */
  includePrivate?: boolean;
}

const toAscii = (name: string): string => {
  const ascii = domainToASCII(name);
  return ascii === '' ? name.toLowerCase() : ascii;
};

export function parsePublicSuffixList(text: string): PublicSuffixList {
  const list: PublicSuffixList = { rules: new Map(), wildcards: new Map(), exceptions: new Map() };
  let section: RuleSection = 'icann';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.includes('===BEGIN PRIVATE DOMAINS===')) section = 'private';
    if (line.includes('===BEGIN ICANN DOMAINS===')) section = 'icann';
    if (line === '' || line.startsWith('//')) continue;
    // A rule is the first whitespace-delimited word of its line.
    const rule = (line.split(/\s/)[0] as string).toLowerCase();
    if (rule.startsWith('!')) list.exceptions.set(toAscii(rule.slice(1)), section);
    else if (rule.startsWith('*.')) list.wildcards.set(toAscii(rule.slice(2)), section);
    else if (rule === '*') list.wildcards.set('', section);
    else list.rules.set(toAscii(rule), section);
  }
  return list;
}

let defaultList: PublicSuffixList | undefined;

/** The list shipped with the product, parsed once on first use. */
export function shippedPublicSuffixList(): PublicSuffixList {
  defaultList ??= parsePublicSuffixList(readFileSync(new URL('../data/psl/public_suffix_list.dat', import.meta.url), 'utf8'));
  return defaultList;
}

interface SplitName {
  /** Labels as asked (lowercase), and their ASCII forms. */
  labels: string[];
  ascii: string[];
}

function split(domain: string): SplitName | null {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || name.startsWith('.')) return null;
  const labels = name.split('.');
  if (labels.some((label) => label === '')) return null;
  const ascii = labels.map((label) => toAscii(label));
  return { labels, ascii };
}

/** How many trailing labels of `ascii` form the public suffix (the default rule `*` gives 1). */
function suffixLength(list: PublicSuffixList, ascii: string[], options: SuffixOptions): number {
  const allowed = (section: RuleSection | undefined) => section !== undefined && (section === 'icann' || options.includePrivate !== false);
  let longest = 1;
  for (let start = 0; start < ascii.length; start += 1) {
    const suffix = ascii.slice(start).join('.');
    const size = ascii.length - start;
    // An exception rule wins over everything: its public suffix is the rule minus its first label.
    if (allowed(list.exceptions.get(suffix))) return size - 1;
    if (allowed(list.rules.get(suffix))) longest = Math.max(longest, size);
    if (allowed(list.wildcards.get(ascii.slice(start + 1).join('.')))) longest = Math.max(longest, size);
  }
  return longest;
}

/** The public suffix of `domain` (`co.uk` for `www.example.co.uk`), or null for a malformed name. */
export function publicSuffix(domain: string, list: PublicSuffixList = shippedPublicSuffixList(), options: SuffixOptions = {}): string | null {
  const name = split(domain);
  if (!name) return null;
  const length = Math.min(suffixLength(list, name.ascii, options), name.labels.length);
  return name.labels.slice(-length).join('.');
}

/** The public suffix plus one label (`example.co.uk`); null when the name is itself a public suffix. */
export function registrableDomain(domain: string, list: PublicSuffixList = shippedPublicSuffixList(), options: SuffixOptions = {}): string | null {
  const name = split(domain);
  if (!name) return null;
  const length = suffixLength(list, name.ascii, options);
  if (name.labels.length <= length) return null;
  return name.labels.slice(-(length + 1)).join('.');
}

/**
 * RFC 7489 §3.2: the organisational domain, where DMARC looks when the domain itself has no
 * record. A name that is itself a public suffix is its own organisational domain.
 */
export function organisationalDomain(domain: string, list: PublicSuffixList = shippedPublicSuffixList()): string {
  const canonical = domain.trim().toLowerCase().replace(/\.$/, '');
  return registrableDomain(canonical, list) ?? canonical;
}
