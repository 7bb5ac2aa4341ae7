// The one parser for domain names a person types in. It yields the canonical ASCII form
// (lowercase, punycode, no trailing dot) or refuses with a validation AppError: no URLs, no
// ports, no IP literals and, unless explicitly allowed, no names reserved for private use.
import { domainToASCII } from 'node:url';
import { AppError } from '../errors.ts';

const maxRawLength = 1024;
const maxNameLength = 253;
const labelPattern = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Characters that betray a URL, an address with a port, a mailbox or percent-encoding, which
// domainToASCII would otherwise silently cut off or decode.
const forbiddenCharacters = /[\s/\\:@%?#[\]\u0000-\u001f\u007f]/u;

// RFC 6761, RFC 6762 (.local), RFC 8375 (home.arpa), ICANN's .internal, and reverse-DNS
// (.arpa): never a company's public attack surface.
const reservedSuffixes = ['localhost', 'local', 'internal', 'test', 'example', 'invalid', 'arpa'];

export interface ParseDomainOptions {
  /** Accept reserved names such as `*.test` (tests and the demo fixture internet). */
  allowReservedNames?: boolean;
}

export function parseDomainName(raw: string, options: ParseDomainOptions = {}): string {
  const input = typeof raw === 'string' ? raw : '';
  const invalid = () =>
    new AppError('validation', 'validation.domain_invalid', { params: { domain: input.slice(0, 100) } });

  if (input.length > maxRawLength) throw invalid();
  let candidate = input.trim().toLowerCase();
  if (candidate.endsWith('.')) candidate = candidate.slice(0, -1);
  if (candidate === '' || forbiddenCharacters.test(candidate)) throw invalid();

  const ascii = domainToASCII(candidate);
  if (ascii === '' || ascii.length > maxNameLength) throw invalid();

  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => labelPattern.test(label))) throw invalid();
  const topLevel = labels.at(-1) as string;
  if (/^[0-9]+$/.test(topLevel)) throw invalid();

  if (!options.allowReservedNames && isReservedName(ascii)) {
    throw new AppError('validation', 'validation.domain_reserved', { params: { domain: ascii } });
  }
  return ascii;
}

export function isReservedName(asciiName: string): boolean {
  const name = asciiName.toLowerCase().replace(/\.$/, '');
  return reservedSuffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}
