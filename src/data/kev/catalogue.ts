// The CISA Known Exploited Vulnerabilities catalogue (CC0, see LICENSE), validated with zod.
// The one in use is DATA_DIR/kev/known_exploited_vulnerabilities.json when `cybermonitor data
// update` has fetched one, otherwise the subset bundled beside this module.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const kevFeedUrl = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';
export const kevFileName = 'known_exploited_vulnerabilities.json';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const kevVulnerabilitySchema = z.object({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,19}$/),
  vendorProject: z.string().max(500),
  product: z.string().max(500),
  vulnerabilityName: z.string().max(1000),
  dateAdded: isoDate,
  shortDescription: z.string().max(10_000),
  requiredAction: z.string().max(10_000),
  dueDate: isoDate,
  knownRansomwareCampaignUse: z.string().max(100).optional(),
  notes: z.string().max(10_000).optional(),
  cwes: z.array(z.string().regex(/^CWE-\d+$/)).max(50).optional(),
});
export type KevVulnerability = z.infer<typeof kevVulnerabilitySchema>;

export const kevCatalogueSchema = z
  .object({
    title: z.string().max(500).optional(),
    catalogVersion: z.string().min(1).max(100),
    dateReleased: z.iso.datetime({ offset: true }),
    count: z.number().int().nonnegative(),
    vulnerabilities: z.array(kevVulnerabilitySchema).max(100_000),
  })
  .refine((catalogue) => catalogue.count === catalogue.vulnerabilities.length, {
    message: 'count does not match the number of vulnerabilities (truncated file?)',
    path: ['count'],
  });
export type KevCatalogue = z.infer<typeof kevCatalogueSchema>;

export const bundledCataloguePath = new URL(`./${kevFileName}`, import.meta.url);

export function updatedCataloguePath(dataDir: string): string {
  return join(dataDir, 'kev', kevFileName);
}

export function parseKevCatalogue(text: string): KevCatalogue {
  return kevCatalogueSchema.parse(JSON.parse(text));
}

let active: { catalogue: KevCatalogue; source: string; path: string; mtimeMs: number } | undefined;

/**
 * The catalogue checks judge with: the updated one in DATA_DIR when it exists and is valid,
 * else the bundled subset. Cached, and read again when `data update` replaced the file (its
 * modification time changed), so a long-running worker picks up a refresh without a restart.
 */
export function activeKevCatalogue(env: NodeJS.ProcessEnv = process.env): { catalogue: KevCatalogue; source: string } {
  const updated = updatedCataloguePath(env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data');
  let mtimeMs = -1;
  try {
    mtimeMs = statSync(updated).mtimeMs;
  } catch {
    // No updated catalogue: the bundled one.
  }
  if (active && active.path === updated && active.mtimeMs === mtimeMs) return active;
  if (mtimeMs >= 0) {
    try {
      active = { catalogue: parseKevCatalogue(readFileSync(updated, 'utf8')), source: 'updated', path: updated, mtimeMs };
      return active;
    } catch {
      // A damaged update never disables the check: fall back to the bundled copy.
    }
  }
  active = { catalogue: parseKevCatalogue(readFileSync(bundledCataloguePath, 'utf8')), source: 'bundled', path: updated, mtimeMs };
  return active;
}
