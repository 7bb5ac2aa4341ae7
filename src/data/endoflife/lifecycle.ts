// Is a version of a product still supported? Judged against the endoflife.date release cycles
// kept beside this module (read once at run time, validated). Pure apart from reading those files.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const lifecycleProducts = ['wordpress', 'joomla', 'drupal', 'magento', 'php', 'nginx', 'apache-http-server', 'windows-server'] as const;
export type LifecycleProduct = (typeof lifecycleProducts)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const releaseSchema = z.object({
  name: z.string().min(1),
  releaseDate: isoDate.nullable(),
  eoasFrom: isoDate.nullable(),
  eolFrom: isoDate.nullable(),
  eoesFrom: isoDate.nullable(),
  latest: z.object({ name: z.string().min(1), date: isoDate.nullable() }).nullable(),
});
export type Release = z.infer<typeof releaseSchema>;

const productSchema = z.object({
  product: z.enum(lifecycleProducts),
  label: z.string(),
  source: z.object({ repository: z.string(), path: z.string(), commit: z.string(), licence: z.string() }),
  dataAsOf: isoDate,
  /** WordPress names x.y.0 releases "x.y": a two-part version means patch 0. */
  omitsZeroPatch: z.boolean().optional(),
  releases: z.array(releaseSchema).min(1),
});
export type ProductLifecycle = z.infer<typeof productSchema>;

const loaded = new Map<LifecycleProduct, ProductLifecycle>();

/** The release cycles of a product, read from `<product>.json` the first time they are needed. */
export function productLifecycle(product: LifecycleProduct): ProductLifecycle {
  let lifecycle = loaded.get(product);
  if (!lifecycle) {
    const text = readFileSync(new URL(`./${product}.json`, import.meta.url), 'utf8');
    lifecycle = productSchema.parse(JSON.parse(text));
    if (lifecycle.product !== product) throw new Error(`endoflife data: ${product}.json describes ${lifecycle.product}`);
    loaded.set(product, lifecycle);
  }
  return lifecycle;
}

/**
 * The numeric parts of a version as software announces it: `2.4.29`, `7.2.24-0ubuntu0.18.04.17`
 * (the distribution suffix is ignored), `2.4.5-p1` (Magento's security patch level counts as a
 * fourth part). Undefined when the text does not start with a number.
 */
export function versionParts(text: string): number[] | undefined {
  const match = /^v?(\d{1,6}(?:\.\d{1,9}){0,4})(?:-p(\d{1,4})\b)?/i.exec(text.trim());
  if (!match) return undefined;
  const parts = (match[1] as string).split('.').map(Number);
  if (match[2] !== undefined) {
    while (parts.length < 3) parts.push(0);
    parts.push(Number(match[2]));
  }
  return parts;
}

/** Negative when a < b, zero when equal, positive when a > b; missing parts count as 0. */
export function compareVersions(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * `eol`: the release cycle no longer gets security fixes. `outdated`: the cycle is supported but
 * a newer release in it exists. `supported`: the latest of a supported cycle (or as far as the
 * version's precision lets us tell). `newer_than_data`: newer than every cycle we know, so not
 * judged. `unknown_cycle`/`unparsable`: no verdict possible.
 */
export type LifecycleState = 'eol' | 'outdated' | 'supported' | 'newer_than_data' | 'unknown_cycle' | 'unparsable';

export interface LifecycleVerdict {
  product: LifecycleProduct;
  label: string;
  version: string;
  state: LifecycleState;
  /** The release cycle the version belongs to (`5.8`, `2.4`, `2012-r2`). */
  cycle: string | null;
  eolFrom: string | null;
  latest: string | null;
  dataAsOf: string;
}

const partsOf = (name: string) => name.split('.').map(Number);
const hasEnded = (date: string | null, now: Date) => date !== null && Date.parse(`${date}T00:00:00Z`) <= now.getTime();

function cycleFor(lifecycle: ProductLifecycle, parts: number[]): Release | undefined {
  let best: Release | undefined;
  let bestLength = 0;
  for (const release of lifecycle.releases) {
    const cycle = partsOf(release.name);
    if (cycle.some(Number.isNaN) || cycle.length > parts.length) continue;
    if (cycle.every((part, index) => parts[index] === part) && cycle.length > bestLength) {
      best = release;
      bestLength = cycle.length;
    }
  }
  return best;
}

/**
 * A bare major version (`Drupal 9`, Magento `1`) is end of life when every cycle of that major
 * had ended by the data's own date — so the data had the chance to list any later cycle of it.
 * Returns the last end date, or undefined when that cannot be said.
 */
function endedMajor(lifecycle: ProductLifecycle, parts: number[], now: Date): string | undefined {
  if (parts.length !== 1) return undefined;
  const cycles = lifecycle.releases.filter((release) => partsOf(release.name)[0] === parts[0]);
  const ends = cycles.map((release) => release.eolFrom);
  if (cycles.length === 0 || ends.includes(null)) return undefined;
  const last = (ends as string[]).sort().at(-1) as string;
  return last <= lifecycle.dataAsOf && hasEnded(last, now) ? last : undefined;
}

/** Judge a product version (as announced by the software) at the moment `now`. */
export function judgeVersion(product: LifecycleProduct, version: string, now: Date): LifecycleVerdict {
  const lifecycle = productLifecycle(product);
  const verdict = (state: LifecycleState, release?: Release): LifecycleVerdict => ({
    product,
    label: lifecycle.label,
    version,
    state,
    cycle: release?.name ?? null,
    eolFrom: release?.eolFrom ?? null,
    latest: release?.latest?.name ?? null,
    dataAsOf: lifecycle.dataAsOf,
  });
  const parts = versionParts(version);
  if (!parts) return verdict('unparsable');
  const release = cycleFor(lifecycle, parts);
  if (!release) {
    const ended = endedMajor(lifecycle, parts, now);
    if (ended) return { ...verdict('eol'), cycle: `${parts[0]}.x`, eolFrom: ended };
    const newest = lifecycle.releases
      .map((candidate) => partsOf(candidate.name))
      .filter((cycle) => !cycle.some(Number.isNaN))
      .sort(compareVersions)
      .at(-1);
    if (newest && compareVersions(parts.slice(0, newest.length), newest) > 0) return verdict('newer_than_data');
    return verdict('unknown_cycle');
  }
  if (hasEnded(release.eolFrom, now)) return verdict('eol', release);
  const latest = release.latest ? versionParts(release.latest.name) : undefined;
  if (latest) {
    const precise = parts.length >= latest.length || (lifecycle.omitsZeroPatch === true && parts.length >= 2);
    if (precise && compareVersions(parts, latest) < 0) return verdict('outdated', release);
  }
  return verdict('supported', release);
}

// IIS ships with Windows Server and is supported as long as the Windows Server it came with.
const windowsServerCyclesOfIis: Record<string, string[]> = {
  '10.0': ['2016', '2019', '2022', '2025'],
  '8.5': ['2012-r2'],
  '8.0': ['2012'],
  '7.5': ['2008-r2-sp1'],
  '7.0': ['2008-sp2'],
  '6.0': ['2003-sp2'],
};

/**
 * Judge an IIS version by the Windows Server releases that ship it. When several do (IIS 10.0),
 * it is end of life only once all of them are; the end date is the latest of theirs.
 */
export function judgeIisVersion(version: string, now: Date): LifecycleVerdict {
  const lifecycle = productLifecycle('windows-server');
  const parts = versionParts(version);
  const key = parts ? `${parts[0]}.${parts[1] ?? 0}` : '';
  const cycles = (windowsServerCyclesOfIis[key] ?? [])
    .map((name) => lifecycle.releases.find((release) => release.name === name))
    .filter((release): release is Release => release !== undefined);
  const base = { product: 'windows-server' as const, label: 'IIS', version, latest: null, dataAsOf: lifecycle.dataAsOf };
  if (!parts) return { ...base, state: 'unparsable', cycle: null, eolFrom: null };
  if (cycles.length === 0) return { ...base, state: 'unknown_cycle', cycle: null, eolFrom: null };
  const ends = cycles.map((release) => release.eolFrom);
  const eolFrom = ends.includes(null) ? null : (ends as string[]).sort().at(-1) ?? null;
  const cycle = cycles.map((release) => release.name).join(', ');
  return { ...base, state: hasEnded(eolFrom, now) ? 'eol' : 'supported', cycle, eolFrom };
}
