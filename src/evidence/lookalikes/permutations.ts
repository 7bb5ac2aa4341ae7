// Lookalike names of a company's domain, the way typosquatters and phishers make them: a letter
// left out, doubled, swapped with its neighbour or replaced by a key next to it; a lookalike
// character (0 for o, rn for m, Cyrillic а for Latin a, é for e — the last two as IDN punycode);
// a hyphen added; a single flipped bit; the same name under another TLD. Pure: no I/O, a hard
// cap on the count, and every name is a valid DNS name.
import { domainToASCII, domainToUnicode } from 'node:url';

export const techniques = ['tld', 'omission', 'transposition', 'homoglyph', 'hyphenation', 'repetition', 'idn-homoglyph', 'replacement', 'bitsquatting'] as const;
export type Technique = (typeof techniques)[number];

export interface Lookalike {
  /** ASCII (punycode) form, lowercase, as DNS carries it. */
  name: string;
  /** The Unicode form when it differs (IDN). */
  unicode: string | null;
  technique: Technique;
}

export interface PermutationOptions {
  /** At most this many names; techniques take turns so the cap never silences one of them. */
  max?: number;
  /** Top-level domains to try the name under (besides its own). */
  tlds?: readonly string[];
  bitsquatting?: boolean;
}

export const defaultMaxLookalikes = 120;
export const defaultLookalikeTlds = ['nl', 'com', 'eu', 'net', 'org', 'shop', 'be', 'de', 'online', 'info', 'biz', 'co'] as const;

/** ASCII lookalikes, single characters and pairs (rn reads as m, vv as w, cl as d). */
const asciiGlyphs: Record<string, string[]> = {
  o: ['0'],
  '0': ['o'],
  l: ['1', 'i'],
  i: ['1', 'l'],
  '1': ['l', 'i'],
  m: ['rn', 'nn'],
  w: ['vv'],
  d: ['cl'],
  rn: ['m'],
  vv: ['w'],
  cl: ['d'],
  e: ['3'],
  a: ['4'],
  s: ['5'],
  g: ['9', 'q'],
  q: ['g'],
  b: ['6'],
  z: ['2'],
  u: ['v'],
  v: ['u'],
};

/** Unicode lookalikes: Cyrillic and Greek letters that render like Latin ones, and accented Latin. */
const unicodeGlyphs: Record<string, string[]> = {
  a: ['а', 'á', 'à', 'ä'],
  c: ['с', 'ç'],
  e: ['е', 'é', 'è', 'ë'],
  i: ['і', 'í', 'ï'],
  j: ['ј'],
  k: ['κ'],
  n: ['ñ'],
  o: ['о', 'ó', 'ö', 'ο'],
  p: ['р'],
  s: ['ѕ'],
  u: ['ú', 'ü'],
  x: ['х'],
  y: ['у', 'ý'],
};

const keyboardRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbours(character: string): string[] {
  const found: string[] = [];
  keyboardRows.forEach((row, rowIndex) => {
    const column = row.indexOf(character);
    if (column < 0) return;
    for (const [dr, dc] of [[0, -1], [0, 1], [-1, 0], [1, 0]] as const) {
      const key = keyboardRows[rowIndex + dr]?.[column + dc];
      if (key) found.push(key);
    }
  });
  return found;
}

const validLabel = (label: string) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label) && (!/^..--/.test(label) || label.startsWith('xn--'));

function omission(label: string): string[] {
  return [...label].map((_, index) => label.slice(0, index) + label.slice(index + 1));
}

function repetition(label: string): string[] {
  return [...label].flatMap((character, index) => (/[a-z0-9]/.test(character) ? [label.slice(0, index + 1) + character + label.slice(index + 1)] : []));
}

function transposition(label: string): string[] {
  const out: string[] = [];
  for (let index = 0; index < label.length - 1; index += 1) {
    if (label[index] === label[index + 1]) continue;
    out.push(label.slice(0, index) + label[index + 1] + label[index] + label.slice(index + 2));
  }
  return out;
}

function replacement(label: string): string[] {
  return [...label].flatMap((character, index) => neighbours(character).map((key) => label.slice(0, index) + key + label.slice(index + 1)));
}

function hyphenation(label: string): string[] {
  const out: string[] = [];
  for (let index = 1; index < label.length; index += 1) {
    if (label[index - 1] === '-' || label[index] === '-') continue;
    out.push(`${label.slice(0, index)}-${label.slice(index)}`);
  }
  return out;
}

function homoglyph(label: string): string[] {
  const out: string[] = [];
  for (const [from, replacements] of Object.entries(asciiGlyphs)) {
    for (let index = label.indexOf(from); index >= 0; index = label.indexOf(from, index + 1)) {
      for (const to of replacements) out.push(label.slice(0, index) + to + label.slice(index + from.length));
    }
  }
  return out;
}

function idnHomoglyph(label: string): string[] {
  return [...label].flatMap((character, index) => (unicodeGlyphs[character] ?? []).map((glyph) => label.slice(0, index) + glyph + label.slice(index + 1)));
}

function bitsquatting(label: string): string[] {
  const out: string[] = [];
  [...label].forEach((character, index) => {
    const code = character.charCodeAt(0);
    for (let bit = 0; bit < 8; bit += 1) {
      const flipped = String.fromCharCode(code ^ (1 << bit));
      if (/^[a-z0-9-]$/.test(flipped)) out.push(label.slice(0, index) + flipped + label.slice(index + 1));
    }
  });
  return out;
}

/** The label to permute and the suffix it sits under: `bakkerij` + `nl`, `shop` + `co.uk`. */
export function splitRegistrable(registrable: string, suffix: string): { label: string; suffix: string } | undefined {
  if (!registrable.endsWith(`.${suffix}`)) return undefined;
  const label = registrable.slice(0, -(suffix.length + 1));
  return label.includes('.') || label === '' ? undefined : { label, suffix };
}

/**
 * Lookalikes of `registrable` (e.g. `bakkerij.nl`, whose public suffix is `suffix`), at most
 * `max`, never the domain itself. Names whose Unicode label is not valid IDNA are dropped.
 */
export function lookalikeDomains(registrable: string, suffix: string, options: PermutationOptions = {}): Lookalike[] {
  const split = splitRegistrable(registrable.toLowerCase(), suffix.toLowerCase());
  if (!split) return [];
  const { label } = split;
  const max = Math.max(0, Math.min(options.max ?? defaultMaxLookalikes, 2000));
  const tlds = (options.tlds ?? defaultLookalikeTlds).map((tld) => tld.toLowerCase().replace(/^\./, '')).filter((tld) => tld !== split.suffix);

  const byTechnique: Record<Technique, string[]> = {
    tld: tlds.map((tld) => `${label}.${tld}`),
    omission: omission(label).map((candidate) => `${candidate}.${split.suffix}`),
    transposition: transposition(label).map((candidate) => `${candidate}.${split.suffix}`),
    homoglyph: homoglyph(label).map((candidate) => `${candidate}.${split.suffix}`),
    hyphenation: hyphenation(label).map((candidate) => `${candidate}.${split.suffix}`),
    repetition: repetition(label).map((candidate) => `${candidate}.${split.suffix}`),
    'idn-homoglyph': idnHomoglyph(label).map((candidate) => `${candidate}.${split.suffix}`),
    replacement: replacement(label).map((candidate) => `${candidate}.${split.suffix}`),
    bitsquatting: options.bitsquatting === false ? [] : bitsquatting(label).map((candidate) => `${candidate}.${split.suffix}`),
  };

  const seen = new Set<string>([registrable.toLowerCase()]);
  const queues = techniques.map((technique) => ({ technique, names: byTechnique[technique], next: 0 }));
  const result: Lookalike[] = [];
  // Round-robin over the techniques, so a cap keeps some of each.
  while (result.length < max && queues.some((queue) => queue.next < queue.names.length)) {
    for (const queue of queues) {
      if (result.length >= max) break;
      while (queue.next < queue.names.length) {
        const unicode = queue.names[queue.next++] as string;
        const ascii = domainToASCII(unicode);
        const labels = ascii.split('.');
        if (ascii === '' || ascii.length > 253 || !labels.every(validLabel) || seen.has(ascii)) continue;
        seen.add(ascii);
        const shown = domainToUnicode(ascii);
        result.push({ name: ascii, unicode: shown !== ascii ? shown : null, technique: queue.technique });
        break;
      }
    }
  }
  return result;
}
