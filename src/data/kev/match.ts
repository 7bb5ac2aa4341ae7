// Which CISA KEV entries a banner's product and version fall under.
//
// The KEV catalogue names a vendor and product per CVE, never version ranges, so it cannot be
// matched against a banner on its own. The matching layer is data: banner-rules.json maps a
// product id (as the protocol modules report it: `exim`, `webmin`, `serv-u`) and version
// ranges (OSV style: introduced <= v < fixed) to one CVE, taken from NVD and the vendor's
// advisory. A rule reports only while its CVE is present in the loaded KEV catalogue, so the
// word "known exploited" always rests on CISA's list, and a rule for a CVE CISA has not (yet)
// listed stays silent.
//
// Certainty: a banner may show fewer version parts than the product's versions have (Serv-U
// greets with 15.2.3 while the fix is build 15.2.3.742; Apache with ServerTokens Minor says
// 2.4). Such a version stands for every completion of it: when all completions fall inside a
// range the match is `certain`, when only some do it is `possible`.
//
// Limits, said plainly: distributions backport fixes without changing the announced version
// (Debian's Exim 4.92 may be patched), configuration is invisible (ProFTPD without mod_copy,
// Webmin without password expiry), a banner can be changed or hidden by the administrator, and
// only products with a rule are recognised. A match is a strong lead for the IT person to
// confirm, not proof; no match is not proof of safety.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KevCatalogue } from './catalogue.ts';
import { compareVersions, parseVersion } from './version.ts';

const versionText = z.string().regex(/^\d[\w.]*$/).max(40);

const rangeSchema = z
  .object({ introduced: versionText.optional(), fixed: versionText.optional(), lastAffected: versionText.optional() })
  .refine((range) => range.fixed === undefined || range.lastAffected === undefined, 'fixed and lastAffected exclude each other');

export const bannerRulesSchema = z.object({
  about: z.string().optional(),
  products: z.record(z.string().regex(/^[a-z0-9-]+$/), z.object({ label: z.string(), fullParts: z.number().int().min(1).max(6) })),
  rules: z
    .array(
      z.object({
        cve: z.string().regex(/^CVE-\d{4}-\d{4,19}$/),
        product: z.string(),
        ranges: z.array(rangeSchema).min(1).max(20),
        source: z.string(),
      }),
    )
    .max(5000),
});
export type BannerRules = z.infer<typeof bannerRulesSchema>;

let bundledRules: BannerRules | undefined;

export function loadBannerRules(): BannerRules {
  bundledRules ??= bannerRulesSchema.parse(JSON.parse(readFileSync(new URL('./banner-rules.json', import.meta.url), 'utf8')));
  return bundledRules;
}

export interface AnnouncedService {
  product: string | null;
  version: string | null;
}

export type Certainty = 'certain' | 'possible';

export interface KevMatch {
  cve: string;
  product: string;
  productLabel: string;
  version: string;
  certainty: Certainty;
  vulnerabilityName: string;
  dateAdded: string;
  knownRansomwareCampaignUse: string;
}

type Range = BannerRules['rules'][number]['ranges'][number];

interface Bounds {
  introduced?: number[];
  fixed?: number[];
  lastAffected?: number[];
}

function boundsOf(range: Range): Bounds {
  const bound = (text: string | undefined) => (text === undefined ? undefined : parseVersion(text));
  return { introduced: bound(range.introduced), fixed: bound(range.fixed), lastAffected: bound(range.lastAffected) };
}

/** Every version from `lowest` to `highest` lies in the range. */
function contains(bounds: Bounds, lowest: number[], highest: number[]): boolean {
  if (bounds.introduced && compareVersions(lowest, bounds.introduced) < 0) return false;
  if (bounds.fixed && compareVersions(highest, bounds.fixed) >= 0) return false;
  if (bounds.lastAffected && compareVersions(highest, bounds.lastAffected) > 0) return false;
  return true;
}

/** Some version from `lowest` to `highest` lies in the range. */
function overlaps(bounds: Bounds, lowest: number[], highest: number[]): boolean {
  if (bounds.introduced && compareVersions(highest, bounds.introduced) < 0) return false;
  if (bounds.fixed && compareVersions(lowest, bounds.fixed) >= 0) return false;
  if (bounds.lastAffected && compareVersions(lowest, bounds.lastAffected) > 0) return false;
  return true;
}

/**
 * Whether every (`certain`), some (`possible`) or no (undefined) version the announced one may
 * stand for lies in the ranges. A version with at least `fullParts` parts stands for itself;
 * a shorter one for all its completions (2.4 → 2.4.0 … 2.4.∞).
 */
export function versionFallsIn(announced: string, fullParts: number, ranges: readonly Range[]): Certainty | undefined {
  const parts = parseVersion(announced);
  if (!parts) return undefined;
  const exact = parts.length >= fullParts;
  const lowest = parts;
  const highest = exact ? parts : [...parts, Number.MAX_SAFE_INTEGER];
  const all = ranges.map(boundsOf);
  if (all.some((bounds) => contains(bounds, lowest, highest))) return 'certain';
  return all.some((bounds) => overlaps(bounds, lowest, highest)) ? 'possible' : undefined;
}

/** KEV entries the announced product versions fall under; rules whose CVE is not in the catalogue are silent. */
export function matchKnownExploited(service: AnnouncedService, catalogue: KevCatalogue, rules: BannerRules = loadBannerRules()): KevMatch[] {
  if (!service.product || !service.version) return [];
  const product = rules.products[service.product];
  if (!product) return [];
  const listed = new Map(catalogue.vulnerabilities.map((entry) => [entry.cveID, entry]));
  const matches: KevMatch[] = [];
  for (const rule of rules.rules) {
    if (rule.product !== service.product) continue;
    const entry = listed.get(rule.cve);
    if (!entry) continue;
    const certainty = versionFallsIn(service.version, product.fullParts, rule.ranges);
    if (!certainty) continue;
    matches.push({
      cve: rule.cve,
      product: service.product,
      productLabel: product.label,
      version: service.version,
      certainty,
      vulnerabilityName: entry.vulnerabilityName,
      dateAdded: entry.dateAdded,
      knownRansomwareCampaignUse: entry.knownRansomwareCampaignUse ?? 'Unknown',
    });
  }
  return matches;
}
