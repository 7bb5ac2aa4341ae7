// Agreement with the real MDN HTTP Observatory (@mdn/mdn-http-observatory, a devDependency):
// for every fixture site, its scan and our gatherer + web.headers.grade give the same score
// and grade (and the same outcome per test). The Observatory runs in a child process that
// trusts the fixture CA (NODE_EXTRA_CA_CERTS) and resolves names at the fixture DNS server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { webHeadersGradeCheck } from '../../src/checks/web/headers-grade.ts';
import { gatherWebHttpEvidence } from '../../src/evidence/http/web-http.ts';
import { createResolver } from '../../src/net/resolver.ts';
import { startWebSites, type WebSiteName, type WebSites, webSiteCatalogue } from '../fixtures/web-sites.ts';

interface ObservatoryLine {
  host: string;
  score?: number;
  grade?: string;
  tests?: Record<string, string | null>;
  error?: string;
}

interface OurGrade {
  score?: number;
  grade?: string;
  tests?: Record<string, string>;
  error?: string;
}

const runner = join(import.meta.dirname, 'observatory-runner.ts');

describe('agreement with the MDN HTTP Observatory', () => {
  let web: WebSites;
  const theirs = new Map<string, ObservatoryLine>();
  const ours = new Map<string, OurGrade>();
  const names = Object.keys(webSiteCatalogue) as WebSiteName[];
  let ourMsPerSite = 0;
  let theirMs = 0;

  before(async () => {
    web = await startWebSites({ firstHost: 1 });
    const hosts = names.map((name) => web.sites[name].domain);

    const theirStart = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [runner, web.resolver, ...hosts], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: web.caFile },
      timeout: 60_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    theirMs = Date.now() - theirStart;
    for (const line of stdout.trim().split('\n')) {
      const parsed = JSON.parse(line) as ObservatoryLine;
      theirs.set(parsed.host, parsed);
    }

    const resolver = createResolver(web.resolver, 2000);
    const ourStart = Date.now();
    for (const host of hosts) {
      const evidence = await gatherWebHttpEvidence(host, { resolver, allowPrivate: true, timeoutMs: 3000, extraCa: [web.caPem] });
      const result = webHeadersGradeCheck.judge(evidence.data, { now: new Date(evidence.gatheredAt) });
      if (result.status === 'error') ours.set(host, { error: String(result.details.reason) });
      else {
        const tests = result.details.tests as Array<{ test: string; result: string }>;
        ours.set(host, {
          score: result.details.score as number,
          grade: result.details.grade as string,
          tests: Object.fromEntries(tests.map((test) => [test.test, test.result])),
        });
      }
    }
    ourMsPerSite = (Date.now() - ourStart) / hosts.length;
  });

  after(() => web?.close());

  it('covers many header situations', () => {
    assert.ok(names.length >= 12);
    assert.equal(theirs.size, names.length, 'the Observatory scanned every site');
  });

  for (const name of Object.keys(webSiteCatalogue) as WebSiteName[]) {
    it(`${name}: same score and grade`, () => {
      const host = web.sites[name].domain;
      const their = theirs.get(host);
      const our = ours.get(host);
      assert.ok(their && our, host);
      if (their.error !== undefined) {
        assert.ok(our.error !== undefined, `the Observatory refused to grade ${host} (${their.error}); we graded ${our.score} ${our.grade}`);
        return;
      }
      assert.deepEqual({ score: our.score, grade: our.grade }, { score: their.score, grade: their.grade });
      assert.deepEqual(our.tests, their.tests, 'same outcome per test');
    });
  }

  it('prints a summary', () => {
    const agreeing = names.filter((name) => {
      const host = web.sites[name].domain;
      const their = theirs.get(host);
      const our = ours.get(host);
      if (!their || !our) return false;
      return their.error !== undefined ? our.error !== undefined : our.score === their.score && our.grade === their.grade;
    }).length;
    const grades = names.map((name) => ours.get(web.sites[name].domain)?.grade ?? 'error');
    process.stdout.write(
      `# observatory agreement: ${agreeing}/${names.length} sites same score and grade (grades ${[...new Set(grades)].sort().join(' ')}); ` +
        `ours ${ourMsPerSite.toFixed(1)} ms per site, the Observatory ${(theirMs / names.length).toFixed(1)} ms per site including its start-up\n`,
    );
    assert.equal(agreeing, names.length);
  });
});
