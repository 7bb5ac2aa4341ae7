// Writes docs/checks.md from the check registry, so the list people read is the list the
// scanner runs. `npm run docs:checks`; a test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checks } from '../src/checks/registry.ts';
import { t } from '../src/i18n/index.ts';
import { gatherers } from '../src/scan/gatherers.ts';

const areaOrder = ['web', 'tls', 'mail', 'dns', 'network', 'people', 'reputation', 'devices', 'process'];

export function checksDocument(): string {
  const sorted = [...checks].sort((a, b) => areaOrder.indexOf(a.area) - areaOrder.indexOf(b.area) || a.id.localeCompare(b.id));
  const lines = [
    '# Checks',
    '',
    'Generated from `src/checks/registry.ts` by `npm run docs:checks`; do not edit by hand.',
    'Every check is a pure function over evidence gathered once per scan; its messages are in',
    '`src/i18n/{nl,en}/`. `cybermonitor checks --json` prints the same list with all metadata.',
    '',
    `${checks.length} checks.`,
    '',
    '| Id | Version | Area | Owner | Evidence | Active probe | Title (en) | Titel (nl) | References |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const check of sorted) {
    const references = check.references.map((reference) => `[${reference.title.replace(/\|/g, '/')}](${reference.url})`).join('<br>');
    const active = gatherers.some((gatherer) => gatherer.kind === check.evidenceKind && gatherer.active) ? 'yes' : '';
    lines.push(
      `| \`${check.id}\` | ${check.version} | ${check.area} | ${check.owner} | \`${check.evidenceKind}\` | ${active} | ${t('en', check.titleKey)} | ${t('nl', check.titleKey)} | ${references} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  writeFileSync(join(import.meta.dirname, '../docs/checks.md'), checksDocument());
  process.stdout.write(`docs/checks.md: ${checks.length} checks\n`);
}
