// npm run bench:web — our website + TLS scan beside the peers, in one run on the same sites:
// testssl.sh (`testssl --fast` and its default run) and the MDN HTTP Observatory for one site,
// then our throughput over many sites and our peak memory. Prints ratios, asserts nothing:
// a benchmark, not a test.
//   node bench/web.ts [--sites N] [--concurrency C] [--runs R] [--no-testssl-full] [--throughput-only] [--default-heap]
// --throughput-only skips the peers (testssl alone takes a minute or more): for quick iterations.
// The scanning process runs with V8's young generation capped (--max-semi-space-size=8, as a
// scan worker should run): under a steady stream of scans V8 otherwise grows the young
// generation to its maximum (~130 MB here) whatever the concurrency. --default-heap keeps V8's
// defaults, to compare. 32 scans at a time keep the machine's two cores busy (64 is no faster).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanDomain } from '../src/scan/scan-domain.ts';
import { createInterface } from 'node:readline';
import type { BenchSites } from './bench-sites.ts';

const youngGenerationFlag = '--max-semi-space-size=8';
if (!process.argv.includes('--default-heap') && !process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) {
  const child = spawn(process.execPath, [...process.execArgv, youngGenerationFlag, ...process.argv.slice(1)], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  process.exit(code ?? 1);
}

const { values } = parseArgs({
  options: {
    'default-heap': { type: 'boolean', default: false },
    sites: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
    'no-testssl-full': { type: 'boolean', default: false },
    'throughput-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
  },
});
const siteCount = Number(values.sites);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const webAndTls = ['web', 'tls'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; code: number | null; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', () => resolve({ ms: Number.NaN, code: null, stdout }));
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout }));
  });
}

/** CPU seconds (user + system) a child process used so far; NaN where /proc is not there. */
async function childCpuSeconds(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return Number.NaN;
  }
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? Number.NaN;
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
const ratio = (peer: number, ours: number) => (Number.isFinite(peer) && ours > 0 ? `${(peer / ours).toFixed(1)}x` : 'n/a');

// The sites run in a child process, so their TLS handshakes do not share our event loop and
// our peak memory is the scanner's own.
const server = spawn(process.execPath, [join(import.meta.dirname, 'bench-sites-server.ts'), String(Math.max(siteCount, 1))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: server.stdout }).once('line', resolve);
  server.once('exit', (code) => reject(new Error(`bench sites exited with ${code}`)));
});
const bench: Omit<BenchSites, 'close'> & { close(): Promise<void> } = {
  ...(JSON.parse(firstLine) as Omit<BenchSites, 'close'>),
  close: () =>
    new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.stdin.end();
    }),
};
const work = await mkdtemp(join(tmpdir(), 'cybermonitor-bench-out-'));
try {
  const [first] = bench.sites;
  if (!first) throw new Error('no sites');
  const scanOptions = { resolver: bench.resolver, allowPrivate: true, extraCa: [bench.caPem], activeProbes: true, only: webAndTls, timeoutMs: 5000 };

  // One site, several times: the median wall time of our full web + TLS scan. Each timed run
  // scans a site not scanned before (all bench sites are alike), so no kept-alive connection of
  // an earlier run helps it: as cold as testssl's run, with the code already loaded.
  let lastScan = await scanDomain(first.domain, scanOptions); // warm-up (module loading, JIT)
  const ourRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const site: { domain: string } = bench.sites[bench.sites.length - 1 - (i % bench.sites.length)] ?? first;
    const started = performance.now();
    const scan = await scanDomain(site.domain, scanOptions);
    ourRuns.push(performance.now() - started);
    if (site === first) lastScan = scan;
  }
  const ours = median(ourRuns);
  const verdicts = lastScan.results.map((r) => `${r.checkId}=${r.status}`).join(' ');

  const testsslArgs = (fast: boolean) => [
    ...(fast ? ['--fast'] : []),
    '--quiet', '--warnings', 'off', '--color', '0', '--ip', first.address,
    '--jsonfile', join(work, `testssl-${fast ? 'fast' : 'full'}.json`),
    `https://${first.domain}`,
  ];
  const skipped = { ms: Number.NaN, code: null, stdout: '' };
  const peers = !values['throughput-only'];
  const testsslFast = peers ? await run('testssl', testsslArgs(true)) : skipped;
  const testsslFull = !peers || values['no-testssl-full'] ? skipped : await run('testssl', testsslArgs(false));
  const observatory = !peers ? skipped : await run(process.execPath, [join(import.meta.dirname, '../test/web/observatory-runner.ts'), bench.resolver, first.domain], {
    ...process.env,
    NODE_EXTRA_CA_CERTS: bench.caFile,
  });

  // Throughput: every site once, `concurrency` scans at a time.
  const queue = [...bench.sites];
  let errors = 0;
  const sitesCpuBefore = await childCpuSeconds(server.pid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let site = queue.shift(); site; site = queue.shift()) {
        const scan = await scanDomain(site.domain, scanOptions);
        if (scan.results.some((r) => r.status === 'error')) errors++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const scannerCpu = (cpu.user + cpu.system) / 1e6;
  const sitesCpu = (await childCpuSeconds(server.pid)) - sitesCpuBefore;
  const sitesPerSecond = (bench.sites.length / elapsed) * 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;

  const lines = [
    `Cybermonitor web + TLS benchmark (${new Date().toISOString()}, ${bench.sites.length} loopback sites, Node ${process.version})`,
    `our verdicts on ${first.domain}: ${verdicts}`,
    '',
    'one site, wall time           time        peer / ours',
    `  cybermonitor (median of ${runs})   ${seconds(ours).padEnd(10)}  1.0x`,
    `  testssl --fast              ${seconds(testsslFast.ms).padEnd(10)}  ${ratio(testsslFast.ms, ours)}   (target >= 20x)`,
    `  testssl (default run)       ${seconds(testsslFull.ms).padEnd(10)}  ${ratio(testsslFull.ms, ours)}`,
    `  MDN Observatory scan        ${seconds(observatory.ms).padEnd(10)}  ${ratio(observatory.ms, ours)}   (includes starting its Node process)`,
    '',
    `throughput: ${bench.sites.length} sites in ${seconds(elapsed)} at concurrency ${concurrency} = ${sitesPerSecond.toFixed(1)} sites/s (target >= 30); scans with an error result: ${errors}`,
    `  CPU during the throughput run: scanner ${scannerCpu.toFixed(1)} s (${((scannerCpu / bench.sites.length) * 1000).toFixed(0)} ms/site), fixture sites process ${sitesCpu.toFixed(1)} s (${((sitesCpu / bench.sites.length) * 1000).toFixed(0)} ms/site)`,
    `peak memory (max RSS of the scanning process): ${peakMb.toFixed(0)} MB (target < 300 MB); V8 flags: ${process.execArgv.filter((flag) => flag.startsWith('--max-')).join(' ') || 'defaults'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await bench.close();
  await rm(work, { recursive: true, force: true });
}
