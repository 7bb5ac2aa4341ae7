// `cybermonitor checks`: what the scanner checks, from the registry.
import { type Command, Option } from 'commander';
import { checks } from '../../checks/registry.ts';
import { isLanguage, type Language, t } from '../../i18n/index.ts';
import { environmentLanguage, printable, safeJson, table } from './scan.ts';

export interface ChecksCommandArgs {
  json: boolean;
  lang: Language;
}

export function checkCatalogue(language: Language) {
  return checks.map((check) => ({
    id: check.id,
    version: check.version,
    area: check.area,
    owner: check.owner,
    evidenceKind: check.evidenceKind,
    title: t(language, check.titleKey),
    remediation: t(language, check.remediationKey),
    references: check.references,
  }));
}

export function runChecksCommand(args: ChecksCommandArgs, out: NodeJS.WritableStream): number {
  const language = isLanguage(args.lang) ? args.lang : environmentLanguage();
  const catalogue = checkCatalogue(language);
  if (args.json) {
    out.write(`${safeJson(catalogue)}\n`);
    return 0;
  }
  const column = (name: string) => t(language, `checks.cli.column.${name}`);
  const rows = catalogue.map((check) => [
    check.id,
    String(check.version),
    t(language, `checks.area.${check.area}`),
    t(language, `checks.owner.${check.owner}`),
    check.title,
  ]);
  const heading = t(language, 'checks.cli.checks_heading', { count: catalogue.length });
  out.write(`${printable(heading)}\n\n${table(['check', 'version', 'area', 'owner', 'title'].map(column), rows)}\n`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('checks')
    .description('list the checks the scanner runs')
    .option('--json', 'print JSON')
    .addOption(new Option('--lang <lang>', 'language of the output').choices(['nl', 'en']))
    .action((options: { json?: boolean; lang?: Language }) => {
      runChecksCommand({ json: options.json === true, lang: options.lang ?? environmentLanguage() }, process.stdout);
    });
}
