// Reads the versioned norm files (norms/<id>/<version>.yaml) and validates them before anything
// is judged by them: the shape, every check id against the check registry, nl and en texts,
// weights that add up. An invalid norm is an error at start, never a silently wrong score.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { checks as registeredChecks } from '../checks/registry.ts';
import type { Norm } from './types.ts';

export const defaultNormsDirectory = resolve(import.meta.dirname, '../../norms');
export const programmeNormId = 'cyberkeurmerk';

const text = z.string().trim().min(1);
const texts = z.object({ nl: text, en: text }).strict();
const checkStatus = z.enum(['pass', 'notice', 'warn', 'fail', 'info', 'error']);
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash or underscore');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

const normSchema = z
  .object({
    id,
    version: z.string().regex(/^\d{4}\.\d+$/, 'YYYY.N'),
    effectiveFrom: month,
    title: texts,
    certificate: z
      .object({
        level: id,
        streakMonths: z.number().int().min(1).max(24),
        validityMonths: z.number().int().min(1).max(36),
        warnAfterNonCompliantMonths: z.number().int().min(1),
        lapseAfterNonCompliantMonths: z.number().int().min(1),
      })
      .strict(),
    compliance: z.object({ coverageShare: z.number().min(0).max(1), timezone: z.string().min(1) }).strict(),
    sources: z.array(z.object({ id, live: z.boolean(), title: texts }).strict()).min(1),
    areas: z
      .array(z.object({ id, pillar: z.enum(['people', 'it', 'processes']), weight: z.number().positive(), title: texts }).strict())
      .min(1),
    controls: z
      .array(
        z
          .object({
            id,
            area: id,
            source: id,
            level: z.enum(['mandatory', 'advisory']),
            checks: z.array(id).default([]),
            plannedChecks: z.array(id).default([]),
            threshold: z.discriminatedUnion('kind', [
              z.object({ kind: z.literal('every') }).strict(),
              z.object({ kind: z.literal('share'), min: z.number().gt(0).max(1) }).strict(),
            ]),
            failOn: z.array(checkStatus).min(1).default(['fail']),
            graceDays: z.number().int().min(0).max(90),
            weight: z.number().positive(),
            title: texts,
            why: texts,
            references: z
              .array(
                z
                  .object({ scheme: z.enum(['cyber-essentials', 'cis-v8', 'ncsc', 'other']), id: z.string().optional(), title: z.string().optional(), url: z.url().optional() })
                  .strict()
                  .refine((r) => r.id !== undefined || r.title !== undefined, 'a reference needs an id or a title'),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const sumsTo100 = (values: number[]): boolean => Math.abs(values.reduce((sum, value) => sum + value, 0) - 100) < 1e-9;

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(values.filter((value) => (seen.has(value) ? true : (seen.add(value), false))))];
}

export interface NormValidation {
  norm: Norm | null;
  problems: string[];
}

/** Validates a parsed norm document; `knownChecks` defaults to the check registry. */
export function validateNorm(document: unknown, knownChecks: ReadonlySet<string> = new Set(registeredChecks.map((c) => c.id))): NormValidation {
  const parsed = normSchema.safeParse(document);
  if (!parsed.success) {
    return { norm: null, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  const norm = parsed.data as Norm;
  const problems: string[] = [];
  for (const dup of duplicates(norm.areas.map((a) => a.id))) problems.push(`area ${dup} is defined twice`);
  for (const dup of duplicates(norm.controls.map((c) => c.id))) problems.push(`control ${dup} is defined twice`);
  for (const dup of duplicates(norm.sources.map((s) => s.id))) problems.push(`source ${dup} is defined twice`);
  if (!sumsTo100(norm.areas.map((a) => a.weight))) problems.push('area weights do not add up to 100');
  if (norm.certificate.lapseAfterNonCompliantMonths < norm.certificate.warnAfterNonCompliantMonths) {
    problems.push('certificate.lapseAfterNonCompliantMonths is smaller than warnAfterNonCompliantMonths');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: norm.compliance.timezone });
  } catch {
    problems.push(`compliance.timezone ${norm.compliance.timezone} is not a time zone`);
  }
  for (const area of norm.areas) {
    const controls = norm.controls.filter((c) => c.area === area.id);
    if (controls.length === 0) problems.push(`area ${area.id} has no controls`);
    else if (!sumsTo100(controls.map((c) => c.weight))) problems.push(`control weights of area ${area.id} do not add up to 100`);
  }
  for (const control of norm.controls) {
    const where = `control ${control.id}`;
    if (!norm.areas.some((a) => a.id === control.area)) problems.push(`${where}: unknown area ${control.area}`);
    const source = norm.sources.find((s) => s.id === control.source);
    if (!source) problems.push(`${where}: unknown source ${control.source}`);
    for (const checkId of control.checks) if (!knownChecks.has(checkId)) problems.push(`${where}: unknown check id ${checkId}`);
    for (const dup of duplicates(control.checks)) problems.push(`${where}: check ${dup} listed twice`);
    if (control.checks.length + control.plannedChecks.length === 0) problems.push(`${where}: names no check and no planned check`);
    if (source && !source.live && control.checks.length > 0) problems.push(`${where}: source ${source.id} is not live; list its checks under plannedChecks`);
    if (control.failOn.includes('pass')) problems.push(`${where}: pass cannot count as failing`);
  }
  return problems.length > 0 ? { norm: null, problems } : { norm, problems };
}

export class NormSet {
  readonly versions: readonly Norm[];
  constructor(versions: Norm[]) {
    if (versions.length === 0) throw new Error('No norm versions');
    this.versions = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  }

  /** The version in force in `month` (YYYY-MM): the latest that took effect by then, else the first. */
  forMonth(month: string): Norm {
    let chosen = this.versions[0] as Norm;
    for (const norm of this.versions) if (norm.effectiveFrom <= month) chosen = norm;
    return chosen;
  }

  byVersion(version: string): Norm | undefined {
    return this.versions.find((n) => n.version === version);
  }

  latest(): Norm {
    return this.versions[this.versions.length - 1] as Norm;
  }
}

/** Loads every `<version>.yaml` of a norm; throws one error listing every problem found. */
export function loadNormSet(directory: string = join(defaultNormsDirectory, programmeNormId), knownChecks?: ReadonlySet<string>): NormSet {
  const files = readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort();
  const problems: string[] = [];
  const norms: Norm[] = [];
  for (const file of files) {
    let document: unknown;
    try {
      document = parse(readFileSync(join(directory, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not valid YAML (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const result = validateNorm(document, knownChecks);
    problems.push(...result.problems.map((p) => `${file}: ${p}`));
    if (result.norm) {
      if (`${result.norm.version}.yaml` !== file) problems.push(`${file}: version ${result.norm.version} does not match the file name`);
      norms.push(result.norm);
    }
  }
  if (files.length === 0) problems.push(`${directory}: no norm files`);
  for (const dup of duplicates(norms.map((n) => n.effectiveFrom))) problems.push(`two versions take effect in ${dup}`);
  if (new Set(norms.map((n) => n.id)).size > 1) problems.push('files of different norms in one directory');
  if (problems.length > 0) throw new Error(`The norm in ${directory} is invalid:\n  - ${problems.join('\n  - ')}`);
  return new NormSet(norms);
}

let cached: NormSet | undefined;
/** The programme's norm from the repository's norms/ directory, loaded and validated once. */
export function programmeNorms(): NormSet {
  cached ??= loadNormSet();
  return cached;
}
