// Where the time of a web + TLS scan goes: each gatherer (or group) alone over the same fixture
// sites, with wall time, CPU of the scanner and of the sites process, and the connections made.
// A diagnostic for optimising, not a test.
//   node bench/web-gatherers.ts [--sites N] [--concurrency C] [--only a,b --only c ...]
import { spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { scanDomain } from '../src/scan/scan-domain.ts';
import type { BenchSites } from './bench-sites.ts';

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '64' },
    only: { type: 'string', multiple: true },
  },
});
const groups = (values.only ?? [
  'tls.certificate',
  'tls.protocols',
  'web.http',
  'web.leaks.home-page',
  'web.leaks.security-txt',
  'web.leaks.sensitive-files',
  'web,tls',
]).map((group) => group.split(','));

let connections = 0;
diagnostics.subscribe('net.client.socket', () => {
  connections += 1;
});

async function childCpuSeconds(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const server = spawn(process.execPath, [join(import.meta.dirname, 'bench-sites-server.ts'), values.sites], { stdio: ['pipe', 'pipe', 'inherit'] });
const bench = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve))) as Omit<BenchSites, 'close'>;
// How long each gatherer took inside the scans (mean), to tell waiting from working.
const gathererMs = new Map<string, number[]>();
const instrument = {
  gatherer: async <T>(kind: string, gather: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await gather();
    } finally {
      const list = gathererMs.get(kind) ?? [];
      list.push(performance.now() - started);
      gathererMs.set(kind, list);
    }
  },
};
const options = { resolver: bench.resolver, allowPrivate: true, extraCa: [bench.caPem], activeProbes: true, timeoutMs: 5000, instrument };
await scanDomain(bench.sites[0]!.domain, { ...options, only: ['web', 'tls'] }); // warm-up

process.stdout.write(`${bench.sites.length} sites, concurrency ${values.concurrency}\n`);
process.stdout.write(`${'gatherers'.padEnd(28)} ${'wall s'.padStart(7)} ${'sites/s'.padStart(8)} ${'scan ms/site'.padStart(13)} ${'sites ms/site'.padStart(14)} ${'conn/site'.padStart(10)} errors\n`);
for (const only of groups) {
  // Let the HTTP client's kept-alive connections of the previous group expire (2 s idle).
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const queue = [...bench.sites];
  let errors = 0;
  connections = 0;
  gathererMs.clear();
  const sitesBefore = await childCpuSeconds(server.pid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(Number(values.concurrency), queue.length) }, async () => {
      for (let site = queue.shift(); site; site = queue.shift()) {
        const scan = await scanDomain(site.domain, { ...options, only });
        if (scan.results.some((result) => result.status === 'error')) errors += 1;
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sitesCpu = (await childCpuSeconds(server.pid)) - sitesBefore;
  const n = bench.sites.length;
  process.stdout.write(
    `${only.join(',').padEnd(28)} ${wall.toFixed(2).padStart(7)} ${(n / wall).toFixed(1).padStart(8)} ${(((cpu.user + cpu.system) / 1000) / n).toFixed(1).padStart(13)} ${((sitesCpu * 1000) / n).toFixed(1).padStart(14)} ${(connections / n).toFixed(1).padStart(10)} ${errors}\n`,
  );
  if (gathererMs.size > 1) {
    const mean = (list: number[]) => list.reduce((sum, value) => sum + value, 0) / list.length;
    process.stdout.write(`    mean gatherer time: ${[...gathererMs].map(([kind, list]) => `${kind} ${mean(list).toFixed(0)} ms`).join(', ')}\n`);
  }
}
process.stdout.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
server.stdin.end();
