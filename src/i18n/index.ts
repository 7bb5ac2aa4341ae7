// Message catalogues: every text a person reads is a key here, in Dutch (default) and English.
// Catalogues are split by area (src/i18n/<lang>/<area>.json) and merged under the area name,
// so `checks.tls.certificate.title` lives in src/i18n/nl/checks.json as `tls.certificate.title`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const languages = ['nl', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'nl';

type Catalogue = Map<string, string>;

function flatten(prefix: string, value: unknown, into: Catalogue): void {
  if (typeof value === 'string') {
    into.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(prefix ? `${prefix}.${key}` : key, child, into);
    return;
  }
  throw new Error(`i18n: ${prefix} is neither a string nor an object`);
}

function loadCatalogue(language: Language): Catalogue {
  const dir = join(import.meta.dirname, language);
  const catalogue: Catalogue = new Map();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const area = file.slice(0, -'.json'.length);
    flatten(area, JSON.parse(readFileSync(join(dir, file), 'utf8')), catalogue);
  }
  return catalogue;
}

const catalogues: Record<Language, Catalogue> = { nl: loadCatalogue('nl'), en: loadCatalogue('en') };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export function hasMessage(language: Language, key: string): boolean {
  return catalogues[language].has(key);
}

/** All keys of a catalogue; used by the test that keeps nl and en in step. */
export function messageKeys(language: Language): string[] {
  return [...catalogues[language].keys()];
}

/**
 * Translate a key, filling `{name}` placeholders. A missing key returns the key itself so a
 * page never breaks, and the catalogue test makes sure none is missing.
 */
export function t(language: Language, key: string, params: Record<string, string | number> = {}): string {
  const template = catalogues[language].get(key) ?? catalogues[defaultLanguage].get(key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;
export const translator = (language: Language): Translate => (key, params) => t(language, key, params);
