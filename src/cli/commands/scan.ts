// `cybermonitor scan <domain>`: scan one domain now and print the verdicts. Failing checks are
// findings, not errors: the exit code is 0; 2 means the command itself was used wrongly.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { findCheck } from '../../checks/registry.ts';
import type { CheckResult, Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import { isLanguage, type Language, t } from '../../i18n/index.ts';
import { loadTrustAnchorText } from '../../net/dnssec/trust-anchor.ts';
import { parseResolverAddress } from '../../net/resolver.ts';
import { defaultTimeoutMs, scanDomain } from '../../scan/scan-domain.ts';
import { scoreResults, type Grade } from '../../scan/score.ts';
import type { DomainScan } from '../../scan/types.ts';

export interface ScanCommandArgs {
  domain: string;
  json: boolean;
  /** `host:port` of the DNS server; the system resolver when absent. */
  resolver?: string;
  allowPrivate: boolean;
  lang: Language;
  timeoutMs?: number;
  /** Extra trusted CAs (PEM); NODE_EXTRA_CA_CERTS is honoured as Node does anyway. */
  extraCa?: string[];
  /** The operator vouches for the right to probe this target: active probes run. */
  attest?: boolean;
  /** File with DNSSEC trust anchors (DS or DNSKEY records, zone-file format); the IANA root's when absent. */
  trustAnchorFile?: string;
}

export const minTimeoutMs = 100;
export const maxTimeoutMs = 120_000;

/** The language for CLI output when `--lang` is not given: from LC_ALL / LANG, Dutch first. */
export function environmentLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env.LC_ALL || env.LANG || '';
  return locale.startsWith('en') ? 'en' : 'nl';
}

// Text from scanned servers (certificate names, error codes) is hostile input: strip control
// characters before it reaches a terminal, so a certificate cannot rewrite the screen.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** One line of text that is safe for a terminal. */
export const printable = (text: string): string => text.replace(controlCharacters, '?');

/** JSON with C1 controls and line separators escaped too (JSON.stringify leaves those raw). */
export const safeJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** A plain text table of printable cells: columns padded to their widest cell. */
export function table(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(printable));
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export interface ScanReportResult {
  check: string;
  checkVersion: number;
  area: string;
  status: CheckResult['status'];
  severity: CheckResult['severity'];
  owner: string;
  title: string;
  summary: string;
  summaryKey: string;
  remediation: string | null;
  details: Record<string, unknown>;
  evidence: unknown;
}

export interface ScanReport {
  target: string;
  startedAt: string;
  durationMs: number;
  /** True when the operator attested the right to probe (active probes ran). */
  attested: boolean;
  results: ScanReportResult[];
  score: number | null;
  grade: Grade | null;
}

/** The scan as a person (or a script) reads it: translated titles and verdicts. */
export function scanReport(scan: DomainScan, language: Language, attested = false): ScanReport {
  const evidenceByKind = new Map<string, Evidence>(scan.evidence.map((item) => [item.kind, item]));
  const { score, grade } = scoreResults(scan.results);
  return {
    target: scan.target,
    startedAt: scan.startedAt,
    durationMs: scan.durationMs,
    attested,
    score,
    grade,
    results: scan.results.map((result) => {
      const check = findCheck(result.checkId);
      return {
        check: result.checkId,
        checkVersion: result.checkVersion,
        area: check?.area ?? '',
        status: result.status,
        severity: result.severity,
        owner: check?.owner ?? '',
        title: check ? t(language, check.titleKey) : result.checkId,
        summary: t(language, result.summaryKey, result.summaryParams),
        summaryKey: result.summaryKey,
        remediation: check && result.status !== 'pass' && result.status !== 'error' ? t(language, check.remediationKey) : null,
        details: result.details,
        evidence: check ? (evidenceByKind.get(check.evidenceKind)?.data ?? null) : null,
      };
    }),
  };
}

function humanReport(report: ScanReport, language: Language): string {
  const column = (name: string) => t(language, `checks.cli.column.${name}`);
  const rows = report.results.map((result) => [
    result.title,
    t(language, `checks.status.${result.status}`),
    t(language, `checks.severity.${result.severity}`),
    t(language, `checks.owner.${result.owner}`),
    result.summary,
  ]);
  const heading = t(language, 'checks.cli.scan_heading', {
    target: report.target,
    count: report.results.length,
    duration: report.durationMs,
  });
  const score = t(language, 'checks.cli.score', { score: report.score ?? '—', grade: report.grade ?? '—' });
  return `${printable(heading)}\n${score}\n\n${table(['check', 'status', 'severity', 'owner', 'summary'].map(column), rows)}`;
}

function validTimeout(timeoutMs: number | undefined): boolean {
  return timeoutMs === undefined || (Number.isInteger(timeoutMs) && timeoutMs >= minTimeoutMs && timeoutMs <= maxTimeoutMs);
}

/** Run a scan and print it; returns the exit code (0 whatever the verdicts, 2 for bad input). */
export async function runScanCommand(
  args: ScanCommandArgs,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const language = isLanguage(args.lang) ? args.lang : environmentLanguage();
  if (!validTimeout(args.timeoutMs)) {
    err.write(`error: --timeout: ${t(language, 'validation.invalid')} (${minTimeoutMs}–${maxTimeoutMs})\n`);
    return 2;
  }
  try {
    if (args.resolver !== undefined) parseResolverAddress(args.resolver);
    const trustAnchors = args.trustAnchorFile === undefined ? undefined : loadTrustAnchorText(args.trustAnchorFile);
    const scan = await scanDomain(args.domain, {
      trustAnchors,
      resolver: args.resolver,
      allowPrivate: args.allowPrivate,
      timeoutMs: args.timeoutMs ?? defaultTimeoutMs,
      extraCa: args.extraCa,
      activeProbes: args.attest === true,
    });
    const report = scanReport(scan, language, args.attest === true);
    out.write(args.json ? `${safeJson(report)}\n` : `${humanReport(report, language)}\n`);
    return 0;
  } catch (error) {
    if (isAppError(error) && (error.code === 'validation' || error.code === 'target_refused')) {
      err.write(`error: ${printable(t(language, error.messageKey, error.params))}\n`);
      return 2;
    }
    throw error;
  }
}

function parseTimeout(value: string): number {
  const timeout = Number(value);
  if (!/^\d+$/.test(value) || timeout < minTimeoutMs || timeout > maxTimeoutMs) {
    throw new InvalidArgumentError(`expected milliseconds between ${minTimeoutMs} and ${maxTimeoutMs}`);
  }
  return timeout;
}

export function register(program: Command): void {
  program
    .command('scan')
    .description('scan one domain now and print the verdicts (exit code 0 even when checks fail)')
    .argument('<domain>', 'domain name, e.g. bakkerij-jansen.nl')
    .option('--json', 'print JSON')
    .option('--resolver <host:port>', 'DNS server to ask (an IP address), instead of the system resolver')
    .option('--allow-private', 'allow reserved names and loopback/private addresses (tests, demo)')
    .option('--attest', 'you vouch for the right to probe this target: also run the active probes (recorded in the output)')
    .addOption(new Option('--lang <lang>', 'language of the output').choices(['nl', 'en']))
    .option('--timeout <ms>', `bound for each network step (default ${defaultTimeoutMs})`, parseTimeout)
    .option('--trust-anchor <file>', 'DNSSEC trust anchors: DS or DNSKEY records in zone-file format (default: the IANA root anchors)')
    .action(async (domain: string, options: { json?: boolean; resolver?: string; allowPrivate?: boolean; attest?: boolean; lang?: Language; timeout?: number; trustAnchor?: string }) => {
      const code = await runScanCommand(
        {
          domain,
          json: options.json === true,
          resolver: options.resolver,
          allowPrivate: options.allowPrivate === true,
          attest: options.attest === true,
          lang: options.lang ?? environmentLanguage(),
          timeoutMs: options.timeout,
          trustAnchorFile: options.trustAnchor,
        },
        process.stdout,
      );
      if (code !== 0) process.exitCode = code;
    });
}
