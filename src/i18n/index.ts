// Message catalogues: every text a person reads is a key here, in Dutch (default) and English.
// Catalogues are split by area (src/i18n/<lang>/<area>.json, or <area>/<part>.json) and merged
// under the path: key tls.certificate.title in nl/checks.json is addressed as checks.tls.certificate.title,
// and key hsts.title in nl/checks/web.json as checks.web.hsts.title.
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

/** `<lang>/checks.json` → `checks.*`; `<lang>/checks/web.json` → `checks.web.*`. */
function loadDirectory(dir: string, prefix: string, catalogue: Catalogue): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      loadDirectory(join(dir, entry.name), prefix ? `${prefix}.${entry.name}` : entry.name, catalogue);
    } else if (entry.name.endsWith('.json')) {
      const area = entry.name.slice(0, -'.json'.length);
      const messages: unknown = JSON.parse(readFileSync(join(dir, entry.name), 'utf8'));
      const parsed: Catalogue = new Map();
      flatten(prefix ? `${prefix}.${area}` : area, messages, parsed);
      for (const [key, text] of parsed) {
        if (catalogue.has(key)) throw new Error(`i18n: ${key} is defined twice (${join(dir, entry.name)})`);
        catalogue.set(key, text);
      }
    }
  }
}

function loadCatalogue(language: Language): Catalogue {
  const catalogue: Catalogue = new Map();
  loadDirectory(join(import.meta.dirname, language), '', catalogue);
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
