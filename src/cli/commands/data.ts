// `cybermonitor data update`: refresh the reference data the checks judge with, from the real
// sources where the internet is reachable, through Node's HTTP client (undici fetch), with a
// deadline and a size cap, validated with zod, and written atomically (temporary file in the
// same directory, fsync, rename) so a failed or partial download never replaces good data.
//   - CISA KEV: the whole catalogue into DATA_DIR/kev/ (read by activeKevCatalogue()); with
//     --into-source the subset the banner rules need into src/data/kev/ (for maintainers).
//   - endoflife.date: with --into-source, the release cycles of every product in
//     src/data/endoflife/ from the API v1 (maintainers refresh the shipped files and commit them).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { type KevCatalogue, kevCatalogueSchema, kevFeedUrl, kevFileName, updatedCataloguePath } from '../../data/kev/catalogue.ts';
import { loadBannerRules } from '../../data/kev/match.ts';
import { isLanguage, type Language, t } from '../../i18n/index.ts';
import { environmentLanguage } from './scan.ts';

export const endoflifeApiBase = 'https://endoflife.date/api/v1/products/';
export const referenceSources = ['kev', 'endoflife'] as const;
export type ReferenceSource = (typeof referenceSources)[number];

export interface DataUpdateOptions {
  sources: readonly ReferenceSource[];
  /** Runtime data directory (DATA_DIR): the full KEV catalogue goes to <dataDir>/kev/. */
  dataDir: string;
  /** Write the shipped files in the source tree instead (maintainers). */
  intoSource: boolean;
  kevUrl?: string;
  endoflifeUrl?: string;
  timeoutMs?: number;
  /** Cap on one download (tests lower it). */
  maxBytes?: number;
  /** Where the shipped files live; tests point these at temporary copies. */
  kevSourceDir?: string;
  endoflifeSourceDir?: string;
}

export type UpdateOutcome =
  | { source: string; status: 'updated'; count: number; version: string; path: string }
  | { source: string; status: 'unchanged'; version: string }
  | { source: string; status: 'failed'; reason: string }
  | { source: string; status: 'skipped' };

const defaultTimeoutMs = 60_000;
const maxBodyBytes = 64 * 1024 * 1024;
const userAgent = 'Cybermonitor/0.1 (reference data update)';

const defaultKevSourceDir = fileURLToPath(new URL('../../data/kev/', import.meta.url));
const defaultEndoflifeSourceDir = fileURLToPath(new URL('../../data/endoflife/', import.meta.url));

class UpdateFailure extends Error {}

/** GET a JSON document: a deadline for the whole exchange, a cap on the body, 200 only. */
export async function fetchJson(url: string, timeoutMs: number, maxBytes = maxBodyBytes): Promise<unknown> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { 'User-Agent': userAgent, Accept: 'application/json' } });
  } catch (error) {
    throw new UpdateFailure(signal.aborted ? 'timeout' : `unreachable: ${String((error as Error).cause ?? (error as Error).message).slice(0, 120)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new UpdateFailure(`http_${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new UpdateFailure('too_large');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new UpdateFailure('too_large');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UpdateFailure) throw error;
    throw new UpdateFailure(signal.aborted ? 'timeout' : 'connection_lost');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UpdateFailure('invalid_json');
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpdateFailure(`invalid: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'schema'}`.slice(0, 200));
  }
  return parsed.data;
}

/** Replace `path` with `text` atomically: a temporary file beside it, flushed, then renamed. */
export function writeFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function currentKev(path: string): KevCatalogue | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return kevCatalogueSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

async function updateKev(options: DataUpdateOptions): Promise<UpdateOutcome> {
  const fetched = validated(kevCatalogueSchema, await fetchJson(options.kevUrl ?? kevFeedUrl, options.timeoutMs ?? defaultTimeoutMs, options.maxBytes));
  let catalogue: KevCatalogue & { _note?: string } = fetched;
  let path = updatedCataloguePath(options.dataDir);
  if (options.intoSource) {
    const wanted = new Set(loadBannerRules().rules.map((rule) => rule.cve));
    const vulnerabilities = fetched.vulnerabilities.filter((entry) => wanted.has(entry.cveID));
    catalogue = {
      ...fetched,
      count: vulnerabilities.length,
      vulnerabilities,
      _note: `SUBSET: the entries that src/data/kev/banner-rules.json refers to, from the CISA feed of ${fetched.dateReleased} (catalogue ${fetched.catalogVersion}). \`cybermonitor data update\` replaces it with the whole current catalogue in DATA_DIR/kev/.`,
    };
    path = join(options.kevSourceDir ?? defaultKevSourceDir, kevFileName);
  }
  const existing = currentKev(path);
  if (existing && existing.catalogVersion === catalogue.catalogVersion && existing.count === catalogue.count) {
    return { source: 'kev', status: 'unchanged', version: catalogue.catalogVersion };
  }
  writeFileAtomically(path, `${JSON.stringify(catalogue, null, 2)}\n`);
  return { source: 'kev', status: 'updated', count: catalogue.count, version: catalogue.catalogVersion, path };
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The fields of endoflife.date's API v1 product answer that src/data/endoflife keeps. */
const endoflifeApiSchema = z.object({
  last_modified: z.string().max(64).optional(),
  result: z.object({
    name: z.string().max(100),
    releases: z
      .array(
        z.object({
          name: z.string().min(1).max(100),
          releaseDate: isoDate.nullable().optional(),
          eoasFrom: isoDate.nullable().optional(),
          eolFrom: isoDate.nullable().optional(),
          eoesFrom: isoDate.nullable().optional(),
          latest: z.object({ name: z.string().min(1).max(100), date: isoDate.nullable().optional() }).nullable().optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
});

const shippedProductSchema = z.looseObject({ product: z.string().regex(/^[a-z0-9-]+$/), label: z.string(), dataAsOf: isoDate });

async function updateEndoflifeProduct(file: string, options: DataUpdateOptions): Promise<UpdateOutcome> {
  const shipped = validated(shippedProductSchema, JSON.parse(readFileSync(file, 'utf8')));
  const base = (options.endoflifeUrl ?? endoflifeApiBase).replace(/\/?$/, '/');
  const answer = validated(endoflifeApiSchema, await fetchJson(`${base}${shipped.product}/`, options.timeoutMs ?? defaultTimeoutMs, options.maxBytes));
  const releases = answer.result.releases.map((release) => ({
    name: release.name,
    releaseDate: release.releaseDate ?? null,
    eoasFrom: release.eoasFrom ?? null,
    eolFrom: release.eolFrom ?? null,
    eoesFrom: release.eoesFrom ?? null,
    latest: release.latest ? { name: release.latest.name, date: release.latest.date ?? null } : null,
  }));
  const dates = releases.flatMap((release) => [release.releaseDate, release.latest?.date]).filter((date): date is string => date !== null && date !== undefined);
  const dataAsOf = dates.sort().at(-1) ?? shipped.dataAsOf;
  const updated = {
    ...shipped,
    source: { repository: 'endoflife.date API v1', path: `/api/v1/products/${shipped.product}/`, commit: `last_modified ${answer.last_modified ?? 'unknown'}`, licence: 'MIT (LICENSE in this folder)' },
    dataAsOf,
    releases,
  };
  const before = JSON.stringify((shipped as { releases?: unknown }).releases);
  if (before === JSON.stringify(releases)) return { source: `endoflife/${shipped.product}`, status: 'unchanged', version: shipped.dataAsOf };
  writeFileAtomically(file, `${JSON.stringify(updated, null, 2)}\n`);
  return { source: `endoflife/${shipped.product}`, status: 'updated', count: releases.length, version: dataAsOf, path: file };
}

async function attempt(source: string, run: () => Promise<UpdateOutcome>): Promise<UpdateOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UpdateFailure) return { source, status: 'failed', reason: error.message };
    return { source, status: 'failed', reason: `error: ${String((error as Error).message ?? error).slice(0, 160)}` };
  }
}

export async function runDataUpdate(options: DataUpdateOptions): Promise<UpdateOutcome[]> {
  const outcomes: UpdateOutcome[] = [];
  if (options.sources.includes('kev')) outcomes.push(await attempt('kev', () => updateKev(options)));
  if (options.sources.includes('endoflife')) {
    if (!options.intoSource) {
      // The end-of-life files are read from the source tree only; a runtime copy would go unused.
      outcomes.push({ source: 'endoflife', status: 'skipped' });
    } else {
      const directory = options.endoflifeSourceDir ?? defaultEndoflifeSourceDir;
      const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.json')).sort() : [];
      for (const name of files) outcomes.push(await attempt(`endoflife/${name.replace(/\.json$/, '')}`, () => updateEndoflifeProduct(join(directory, name), options)));
    }
  }
  return outcomes;
}

export function describeOutcome(outcome: UpdateOutcome, language: Language): string {
  switch (outcome.status) {
    case 'updated':
      return t(language, 'checks.network.data_update.updated', { name: outcome.source, count: outcome.count, version: outcome.version, path: outcome.path });
    case 'unchanged':
      return t(language, 'checks.network.data_update.unchanged', { name: outcome.source, version: outcome.version });
    case 'failed':
      return t(language, 'checks.network.data_update.failed', { name: outcome.source, reason: outcome.reason });
    case 'skipped':
      return t(language, 'checks.network.data_update.skipped', { name: outcome.source });
  }
}

export function register(program: Command): void {
  const data = program.command('data').description('reference data the checks judge with');
  data
    .command('update')
    .description('refresh the CISA KEV catalogue (and, with --into-source, the shipped end-of-life data) from the internet')
    .addOption(new Option('--only <source>', 'update one source').choices([...referenceSources]))
    .option('--into-source', 'write the files shipped in src/data (maintainers; commit them afterwards)')
    .option('--kev-url <url>', 'where to fetch the KEV catalogue', kevFeedUrl)
    .option('--endoflife-url <url>', 'base URL of the endoflife.date API v1 products', endoflifeApiBase)
    .option('--timeout <ms>', 'deadline per download', (value) => Number.parseInt(value, 10), defaultTimeoutMs)
    .option('--json', 'print JSON')
    .addOption(new Option('--lang <lang>', 'language of the output').choices(['nl', 'en']))
    .action(async (options: { only?: ReferenceSource; intoSource?: boolean; kevUrl: string; endoflifeUrl: string; timeout: number; json?: boolean; lang?: Language }) => {
      const config = loadConfig();
      const outcomes = await runDataUpdate({
        sources: options.only ? [options.only] : referenceSources,
        dataDir: config.dataDir,
        intoSource: options.intoSource === true,
        kevUrl: options.kevUrl,
        endoflifeUrl: options.endoflifeUrl,
        timeoutMs: Number.isFinite(options.timeout) && options.timeout > 0 ? options.timeout : defaultTimeoutMs,
      });
      const language = options.lang && isLanguage(options.lang) ? options.lang : environmentLanguage();
      if (options.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
      else for (const outcome of outcomes) process.stdout.write(`${describeOutcome(outcome, language)}\n`);
      if (outcomes.some((outcome) => outcome.status === 'failed')) process.exitCode = 1;
    });
}
