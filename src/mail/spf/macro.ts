// SPF macros (RFC 7208 §7): parsing a macro-string into literal text and %{…} expansions,
// checking the domain-spec grammar, and expanding with transformers and delimiters.

export type MacroToken =
  | { kind: 'literal'; text: string }
  | { kind: 'macro'; letter: string; escape: boolean; rightParts: number | null; reverse: boolean; delimiters: string };

/** Where a macro-string appears: c, r and t are allowed only in explanation text. */
export type MacroContext = 'domain' | 'explanation' | 'unknown-modifier';

const domainLetters = 'slodipvh';
const explanationLetters = 'slodipvhcrt';
/** Digits beyond this only mean "all parts"; refusing absurd numbers keeps parsing cheap. */
const maxRightParts = 128;

export class MacroSyntaxError extends Error {
  override name = 'MacroSyntaxError';
}

function isMacroLiteral(character: string, allowSpace: boolean): boolean {
  const code = character.charCodeAt(0);
  if (allowSpace && code === 0x20) return true;
  return code >= 0x21 && code <= 0x7e && character !== '%';
}

export function parseMacroString(text: string, context: MacroContext): MacroToken[] {
  return scanMacroString(text, context).tokens;
}

function scanMacroString(text: string, context: MacroContext): { tokens: MacroToken[]; endsWithExpand: boolean } {
  const letters = context === 'domain' ? domainLetters : explanationLetters;
  const allowSpace = context === 'explanation';
  const tokens: MacroToken[] = [];
  const pushLiteral = (literal: string) => {
    const last = tokens.at(-1);
    if (last?.kind === 'literal') last.text += literal;
    else tokens.push({ kind: 'literal', text: literal });
  };
  let index = 0;
  let endsWithExpand = false;
  while (index < text.length) {
    const character = text[index] as string;
    endsWithExpand = character === '%';
    if (character !== '%') {
      if (!isMacroLiteral(character, allowSpace)) throw new MacroSyntaxError(`character 0x${character.charCodeAt(0).toString(16)} not allowed`);
      pushLiteral(character);
      index += 1;
      continue;
    }
    const next = text[index + 1];
    if (next === '%') pushLiteral('%');
    else if (next === '_') pushLiteral(' ');
    else if (next === '-') pushLiteral('%20');
    else if (next === '{') {
      const close = text.indexOf('}', index + 2);
      if (close < 0) throw new MacroSyntaxError('unterminated macro');
      const body = text.slice(index + 2, close);
      const match = /^([a-zA-Z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
      if (!match) throw new MacroSyntaxError(`invalid macro %{${body}}`);
      const letter = match[1] as string;
      if (!letters.includes(letter.toLowerCase())) throw new MacroSyntaxError(`macro letter ${letter} not allowed here`);
      const digits = match[2] as string;
      if (digits !== '' && (Number(digits) === 0 || digits.length > 3 || Number(digits) > maxRightParts)) {
        throw new MacroSyntaxError(`invalid number of parts in %{${body}}`);
      }
      tokens.push({
        kind: 'macro',
        letter: letter.toLowerCase(),
        escape: letter !== letter.toLowerCase(),
        rightParts: digits === '' ? null : Number(digits),
        reverse: (match[3] as string).toLowerCase() === 'r',
        delimiters: (match[4] as string) || '.',
      });
      index = close + 1;
      continue;
    } else throw new MacroSyntaxError(`"%" must be followed by {, %, _ or -`);
    index += 2;
  }
  return { tokens, endsWithExpand };
}

// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
const topLabel = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/**
 * A domain-spec (RFC 7208 §7.1): a macro-string that ends in a macro expansion or in
 * "." toplabel [ "." ]. Syntax is judged before expansion, never after.
 */
export function parseDomainSpec(text: string): MacroToken[] {
  if (text === '') throw new MacroSyntaxError('empty domain-spec');
  const { tokens, endsWithExpand } = scanMacroString(text, 'domain');
  if (endsWithExpand) return tokens;
  const withoutDot = text.endsWith('.') ? text.slice(0, -1) : text;
  const lastDot = withoutDot.lastIndexOf('.');
  const label = withoutDot.slice(lastDot + 1);
  if (lastDot < 0 || !topLabel.test(label)) throw new MacroSyntaxError('domain-spec must end in a valid top-level label');
  return tokens;
}

export interface MacroValues {
  sender: string;
  localPart: string;
  senderDomain: string;
  domain: string;
  /** %{i} */
  ip: string;
  /** %{c} */
  readableIp: string;
  /** "in-addr" or "ip6" */
  ipVersion: string;
  helo: string;
  receiver: string;
  timestamp: number;
  /** %{p}: looked up only when a macro asks for it. */
  validatedName: () => Promise<string>;
}

const unreserved = /[A-Za-z0-9\-._~]/;

function urlEscape(value: string): string {
  let escaped = '';
  for (const character of value) {
    if (unreserved.test(character)) escaped += character;
    else for (const byte of Buffer.from(character, 'utf8')) escaped += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

async function valueOf(letter: string, values: MacroValues): Promise<string> {
  switch (letter) {
    case 's':
      return values.sender;
    case 'l':
      return values.localPart;
    case 'o':
      return values.senderDomain;
    case 'd':
      return values.domain;
    case 'i':
      return values.ip;
    case 'p':
      return values.validatedName();
    case 'v':
      return values.ipVersion;
    case 'h':
      return values.helo;
    case 'c':
      return values.readableIp;
    case 'r':
      return values.receiver;
    case 't':
      return String(values.timestamp);
    default:
      return '';
  }
}

export async function expandMacros(tokens: MacroToken[], values: MacroValues): Promise<string> {
  let expanded = '';
  for (const token of tokens) {
    if (token.kind === 'literal') {
      expanded += token.text;
      continue;
    }
    const value = await valueOf(token.letter, values);
    let parts = value.split(new RegExp(`[${token.delimiters.replace(/[-\]\\/^]/g, '\\$&')}]`));
    if (token.reverse) parts = parts.reverse();
    if (token.rightParts !== null) parts = parts.slice(Math.max(0, parts.length - token.rightParts));
    const transformed = parts.join('.');
    expanded += token.escape ? urlEscape(transformed) : transformed;
  }
  return expanded;
}

/**
 * A name to query from an expanded domain-spec: without trailing dot, and cut from the left,
 * label by label, to at most 253 characters (RFC 7208 §7.3).
 */
export function queryName(expanded: string): string {
  let name = expanded.endsWith('.') ? expanded.slice(0, -1) : expanded;
  while (name.length > 253) {
    const dot = name.indexOf('.');
    if (dot < 0) return name;
    name = name.slice(dot + 1);
  }
  return name;
}
