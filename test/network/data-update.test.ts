// `cybermonitor data update` against a local HTTP server speaking the same JSON as CISA's KEV
// feed and the endoflife.date API v1 (never the internet): valid data is written atomically,
// anything broken (schema, count, JSON, status, size, slowness) leaves the old file untouched.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { runDataUpdate } from '../../src/cli/commands/data.ts';
import { bundledCataloguePath, parseKevCatalogue } from '../../src/data/kev/catalogue.ts';

const bundled = parseKevCatalogue(readFileSync(bundledCataloguePath, 'utf8'));
const sample = JSON.parse(readFileSync(new URL('./testdata/kev-sample.json', import.meta.url), 'utf8')) as { vulnerabilities: unknown[] };

const feed = {
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2026.12.01',
  dateReleased: '2026-12-01T17:04:19.9796Z',
  count: bundled.vulnerabilities.length + sample.vulnerabilities.length,
  vulnerabilities: [...sample.vulnerabilities, ...bundled.vulnerabilities],
};

const phpApi = {
  schema_version: '1.2.0',
  generated_at: '2026-12-01T00:00:00+00:00',
  last_modified: '2026-11-28T10:00:00+00:00',
  result: {
    name: 'php',
    label: 'PHP',
    releases: [
      { name: '8.6', codename: null, label: '8.6', releaseDate: '2026-11-19', isLts: false, ltsFrom: null, isEoas: false, eoasFrom: '2028-12-31', isEol: false, eolFrom: '2030-12-31', isMaintained: true, latest: { name: '8.6.0', date: '2026-11-19', link: null } },
      { name: '7.4', codename: null, label: '7.4', releaseDate: '2019-11-28', isLts: false, ltsFrom: null, isEoas: true, eoasFrom: '2021-11-28', isEol: true, eolFrom: '2022-11-28', isMaintained: false, latest: { name: '7.4.33', date: '2022-11-03', link: null } },
    ],
  },
};

describe('data update', () => {
  let server: Server;
  let base: string;
  let work: string;
  const held: ServerResponse[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      switch (request.url) {
        case '/feeds/kev.json':
          return json(200, feed);
        case '/feeds/kev-sample.json':
          return json(200, sample); // count 1404, five entries: a truncated catalogue
        case '/feeds/kev-broken-entry.json':
          return json(200, { ...feed, vulnerabilities: [{ ...bundled.vulnerabilities[0], cveID: 'not-a-cve' }, ...bundled.vulnerabilities.slice(1)] });
        case '/feeds/garbage':
          return json(200, '{"catalogVersion": ');
        case '/feeds/error':
          return json(500, { error: 'oops' });
        case '/feeds/slow':
          held.push(response); // never answers
          return;
        case '/api/v1/products/php/':
          return json(200, phpApi);
        default:
          return json(404, { error: 'not found' });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.10.20', resolve));
    const address = server.address();
    base = `http://127.0.10.20:${typeof address === 'object' && address ? address.port : 0}`;
    work = mkdtempSync(join(tmpdir(), 'cybermonitor-data-'));
  });
  after(async () => {
    for (const response of held) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  const kevFile = (dataDir: string) => join(dataDir, 'kev', 'known_exploited_vulnerabilities.json');

  it('writes a valid catalogue, then knows it is unchanged', async () => {
    const dataDir = join(work, 'fresh');
    const [first] = await runDataUpdate({ sources: ['kev'], dataDir, intoSource: false, kevUrl: `${base}/feeds/kev.json` });
    assert.equal(first?.status, 'updated');
    const written = parseKevCatalogue(readFileSync(kevFile(dataDir), 'utf8'));
    assert.equal(written.catalogVersion, '2026.12.01');
    assert.equal(written.count, feed.count);
    const [second] = await runDataUpdate({ sources: ['kev'], dataDir, intoSource: false, kevUrl: `${base}/feeds/kev.json` });
    assert.equal(second?.status, 'unchanged');
  });

  it('keeps the good file when the download is bad in any way', async () => {
    const dataDir = join(work, 'kept');
    await runDataUpdate({ sources: ['kev'], dataDir, intoSource: false, kevUrl: `${base}/feeds/kev.json` });
    const good = readFileSync(kevFile(dataDir), 'utf8');
    const cases: Array<[string, RegExp, { timeoutMs?: number; maxBytes?: number }]> = [
      ['/feeds/kev-sample.json', /^invalid: count/, {}],
      ['/feeds/kev-broken-entry.json', /^invalid: vulnerabilities\.0\.cveID/, {}],
      ['/feeds/garbage', /^invalid_json$/, {}],
      ['/feeds/error', /^http_500$/, {}],
      ['/feeds/kev.json', /^too_large$/, { maxBytes: 1000 }],
      ['/feeds/slow', /^timeout$/, { timeoutMs: 300 }],
    ];
    for (const [path, reason, limits] of cases) {
      const started = Date.now();
      const [outcome] = await runDataUpdate({ sources: ['kev'], dataDir, intoSource: false, kevUrl: `${base}${path}`, ...limits });
      assert.equal(outcome?.status, 'failed', path);
      assert.match(outcome?.status === 'failed' ? outcome.reason : '', reason, path);
      assert.ok(Date.now() - started < 5000, `${path} is bounded`);
      assert.equal(readFileSync(kevFile(dataDir), 'utf8'), good, `${path} left the good file alone`);
    }
    assert.deepEqual(readdirSync(join(dataDir, 'kev')), ['known_exploited_vulnerabilities.json'], 'no temporary files left behind');
  });

  it('refreshes the shipped subset and the end-of-life files into a source tree', async () => {
    const kevSourceDir = join(work, 'src-kev');
    const endoflifeSourceDir = join(work, 'src-endoflife');
    cpSync(new URL('../../src/data/kev/', import.meta.url), kevSourceDir, { recursive: true });
    cpSync(new URL('../../src/data/endoflife/php.json', import.meta.url), join(endoflifeSourceDir, 'php.json'));
    const outcomes = await runDataUpdate({
      sources: ['kev', 'endoflife'],
      dataDir: join(work, 'unused'),
      intoSource: true,
      kevUrl: `${base}/feeds/kev.json`,
      endoflifeUrl: `${base}/api/v1/products`,
      kevSourceDir,
      endoflifeSourceDir,
    });
    assert.deepEqual(outcomes.map((outcome) => [outcome.source, outcome.status]), [['kev', 'updated'], ['endoflife/php', 'updated']]);
    const subset = parseKevCatalogue(readFileSync(join(kevSourceDir, 'known_exploited_vulnerabilities.json'), 'utf8'));
    assert.deepEqual(subset.vulnerabilities.map((entry) => entry.cveID).sort(), bundled.vulnerabilities.map((entry) => entry.cveID).sort(), 'only what the rules need');
    assert.equal(subset.catalogVersion, '2026.12.01');
    const php = JSON.parse(readFileSync(join(endoflifeSourceDir, 'php.json'), 'utf8')) as { product: string; dataAsOf: string; releases: Array<{ name: string; eolFrom: string | null }> };
    assert.equal(php.product, 'php');
    assert.equal(php.dataAsOf, '2026-11-19');
    assert.deepEqual(php.releases.map((release) => [release.name, release.eolFrom]), [['8.6', '2030-12-31'], ['7.4', '2022-11-28']]);
  });

  it('skips the end-of-life data at run time (the checks read the shipped files)', async () => {
    const outcomes = await runDataUpdate({ sources: ['endoflife'], dataDir: join(work, 'x'), intoSource: false });
    assert.deepEqual(outcomes, [{ source: 'endoflife', status: 'skipped' }]);
  });

  it('runs as `cybermonitor data update` and exits 1 when a source failed', async () => {
    const dataDir = join(work, 'cli');
    const run = (url: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)), 'data', 'update', '--only', 'kev', '--kev-url', url, '--lang', 'en'], {
          env: { ...process.env, DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
    const good = await run(`${base}/feeds/kev.json`);
    assert.equal(good.code, 0, good.output);
    assert.match(good.output, /kev: \d+ entries, version 2026\.12\.01, written to/);
    assert.equal(parseKevCatalogue(readFileSync(kevFile(dataDir), 'utf8')).catalogVersion, '2026.12.01');
    const bad = await run(`${base}/feeds/error`);
    assert.equal(bad.code, 1, bad.output);
    assert.match(bad.output, /kev: not updated \(http_500\); the current data stays in use/);
  });
});

describe('the catalogue the checks use', () => {
  it('prefers an updated catalogue in DATA_DIR and notices when it is replaced', async () => {
    const { activeKevCatalogue } = await import('../../src/data/kev/catalogue.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'cybermonitor-kev-'));
    try {
      assert.equal(activeKevCatalogue({ DATA_DIR: dataDir }).source, 'bundled');
      const file = join(dataDir, 'kev', 'known_exploited_vulnerabilities.json');
      const { writeFileAtomically } = await import('../../src/cli/commands/data.ts');
      writeFileAtomically(file, JSON.stringify({ ...feed }));
      const updated = activeKevCatalogue({ DATA_DIR: dataDir });
      assert.equal(updated.source, 'updated');
      assert.equal(updated.catalogue.catalogVersion, '2026.12.01');
      writeFileAtomically(file, '{"broken": true}');
      assert.equal(activeKevCatalogue({ DATA_DIR: dataDir }).source, 'bundled', 'a damaged file falls back to the bundled copy');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
