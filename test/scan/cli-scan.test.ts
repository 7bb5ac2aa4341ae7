// The scan and checks commands: in-process through runScanCommand, and once through the real
// `cybermonitor` entry point with NODE_EXTRA_CA_CERTS, as an operator would run it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runChecksCommand } from '../../src/cli/commands/checks.ts';
import { printable, runScanCommand, safeJson, type ScanCommandArgs } from '../../src/cli/commands/scan.ts';
import { type FixtureInternet, startFixtureInternet } from '../fixtures/fixture-internet.ts';

const run = promisify(execFile);

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('scan command', () => {
  let fixture: FixtureInternet;
  let scan: (overrides: Partial<ScanCommandArgs>) => Promise<{ code: number; out: string; err: string }>;

  before(async () => {
    fixture = await startFixtureInternet();
    scan = async (overrides) => {
      const out = capture();
      const err = capture();
      const code = await runScanCommand(
        { domain: fixture.sites.valid.domain, json: true, resolver: fixture.resolver, allowPrivate: true, lang: 'en', timeoutMs: 2000, extraCa: [fixture.caPem], ...overrides },
        out.stream,
        err.stream,
      );
      return { code, out: out.text(), err: err.text() };
    };
  });
  after(() => fixture.close());

  it('prints translated JSON results and exits 0', async () => {
    const { code, out, err } = await scan({});
    assert.equal(code, 0);
    assert.equal(err, '');
    const report = JSON.parse(out);
    assert.equal(report.target, fixture.sites.valid.domain);
    assert.ok(Number.isInteger(report.durationMs));
    assert.equal(report.attested, false);
    assert.ok(Number.isInteger(report.score) && report.score >= 0 && report.score <= 100);
    assert.match(report.grade, /^[A-F]$/);
    const result = report.results.find((r: { check: string }) => r.check === 'tls.certificate');
    assert.equal(result.check, 'tls.certificate');
    assert.equal(result.area, 'tls');
    assert.equal(result.owner, 'it');
    assert.equal(result.status, 'pass');
    assert.equal(result.severity, 'info');
    assert.equal(result.title, 'Website certificate');
    assert.match(result.summary, /^The certificate is valid and expires in \d+ days/);
    assert.equal(result.evidence.host, fixture.sites.valid.domain);
    assert.equal(result.evidence.tls.chainTrusted, true);
  });

  it('exits 0 for failing checks and speaks Dutch when asked', async () => {
    const { code, out } = await scan({ domain: fixture.sites.expired.domain, lang: 'nl' });
    assert.equal(code, 0);
    const [result] = JSON.parse(out).results;
    assert.equal(result.status, 'fail');
    assert.match(result.summary, /^Het certificaat is verlopen op \d{4}-\d{2}-\d{2}/);
    assert.match(result.remediation, /certificaatautoriteit/);
  });

  it('prints a readable table without --json', async () => {
    const { code, out } = await scan({ domain: fixture.sites.wrongHost.domain, json: false, lang: 'nl' });
    assert.equal(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^Scan van wrong-host\.example\.test: \d+ controles in \d+ ms$/);
    assert.match(lines[1] ?? '', /^Score \d+ van 100, cijfer [A-F]$/);
    assert.match(lines[3] ?? '', /^Controle\s+Uitslag\s+Ernst\s+Voor\s+Bevinding$/);
    assert.ok(
      lines.some((line) => /^Certificaat van de website\s+Niet in orde\s+hoog\s+IT\s+Het certificaat hoort niet bij wrong-host\.example\.test/.test(line)),
      out,
    );
  });

  it('refuses a bad domain, resolver or timeout with exit code 2 and a message', async () => {
    for (const [overrides, message] of [
      [{ domain: 'https://valid.example.test/' }, /Enter a domain name/],
      [{ domain: 'valid.example.test', allowPrivate: false }, /reserved/],
      [{ resolver: 'dns.google' }, /./],
      [{ timeoutMs: 5 }, /--timeout/],
    ] as Array<[Partial<ScanCommandArgs>, RegExp]>) {
      const { code, out, err } = await scan(overrides);
      assert.equal(code, 2, JSON.stringify(overrides));
      assert.equal(out, '');
      assert.match(err, /^error: /);
      assert.match(err, message);
    }
  });

  it('runs through the cybermonitor entry point with NODE_EXTRA_CA_CERTS', async () => {
    const entry = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const args = [entry, 'scan', fixture.sites.valid.domain, '--json', '--resolver', fixture.resolver, '--allow-private', '--attest', '--lang', 'en', '--timeout', '2000'];
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, NODE_EXTRA_CA_CERTS: fixture.caFile }, timeout: 15000 });
    const report = JSON.parse(stdout);
    assert.equal(report.results.find((r: { check: string }) => r.check === 'tls.certificate').status, 'pass');
    assert.equal(report.attested, true, 'the output records that the operator attested');

    const usage = await run(process.execPath, [entry, 'scan', 'x.nl', '--timeout', 'soon'], { timeout: 15000 }).then(
      () => assert.fail('expected exit code 2'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--timeout/);
  });
});

describe('checks command', () => {
  it('lists the registry as JSON and as a table', () => {
    const json = capture();
    assert.equal(runChecksCommand({ json: true, lang: 'en' }, json.stream), 0);
    const catalogue = JSON.parse(json.text());
    assert.equal(catalogue[0].id, 'tls.certificate');
    assert.equal(new Set(catalogue.map((check: { id: string }) => check.id)).size, catalogue.length);
    assert.equal(catalogue[0].title, 'Website certificate');
    assert.ok(catalogue[0].references.length > 0);

    const human = capture();
    runChecksCommand({ json: false, lang: 'nl' }, human.stream);
    assert.match(human.text(), /tls\.certificate\s+1\s+Versleuteling \(TLS\)\s+IT\s+Certificaat van de website/);
  });
});

describe('terminal safety', () => {
  it('keeps control characters from scanned servers off the terminal', () => {
    assert.equal(printable('CN=evil\u001b[2J\u009b31m\nnext'), 'CN=evil?[2J?31m?next');
    const json = safeJson({ subject: 'evil\u001b[2J\u009b31m\u2028' });
    assert.doesNotMatch(json, /[\u001b\u009b\u2028]/);
    assert.equal(JSON.parse(json).subject, 'evil\u001b[2J\u009b31m\u2028');
  });
});
