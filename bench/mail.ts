// npm run bench:mail — the e-mail + DNS + exposed-services scan over many loopback fixture
// domains (bench/mail-fixtures.ts, served from a child process): time per domain, DNS queries
// per domain, the DNS cache's hit rate, and beside them the critical path, the longest chain of
// round trips that wait on one another (bench/round-trips.ts), which on the internet multiplies
// with the RTT. Prints a table, asserts nothing: a benchmark, not a test.
//   node bench/mail.ts [--domains N] [--concurrency C] [--timeout MS] [--no-trace]
// Two passes over the same domains: the first is timed (nothing but a gatherer stopwatch is
// attached), the second traces round trips (the tracing costs time, so it times nothing).
// --no-trace skips the second pass.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { scanDomain } from '../src/scan/scan-domain.ts';
import type { ScanInstrumentation, ScanOptions } from '../src/scan/types.ts';
import type { MailFixtureInfo } from './mail-fixtures.ts';
import { installRoundTripTracing, type ScanTrace } from './round-trips.ts';

const { values } = parseArgs({
  options: {
    domains: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    timeout: { type: 'string', default: '5000' },
    'no-trace': { type: 'boolean', default: false },
  },
});
const domainCount = Number(values.domains);
const concurrency = Math.max(1, Math.min(Number(values.concurrency), 32));
const timeoutMs = Number(values.timeout);
const tracing = !values['no-trace'];
const scanned = ['mail', 'dns', 'reputation', 'network', 'people'];
/** Connections of these gatherers are started by a per-address throttle, not by answers. */
const paced = ['network.exposure'];

// The fixture servers run in a child process, so their work does not share our event loop and
// our peak memory is the scanner's own.
const server = spawn(process.execPath, [join(import.meta.dirname, 'mail-fixtures-server.ts'), String(domainCount), String(concurrency)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const serverLines = createInterface({ input: server.stdout });
const waiting: Array<(line: string) => void> = [];
serverLines.on('line', (line) => waiting.shift()?.(line));
const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
const serverExit = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`mail fixtures exited with ${code}`))));
const info = JSON.parse(await Promise.race([nextLine(), serverExit])) as MailFixtureInfo;
/** Questions each resolver has received so far. */
const resolverQueries = async (): Promise<number[]> => {
  const line = nextLine();
  server.stdin.write('queries\n');
  return JSON.parse(await line) as number[];
};
const closeServer = () =>
  new Promise<void>((resolve) => {
    server.once('exit', () => resolve());
    server.stdin.end();
  });

interface DomainRun {
  domain: string;
  ms: number;
  /** Questions the fixture resolver received from this scan (all of its DNS paths). */
  resolverQueries: number;
  questions: number;
  cacheHits: number;
  gathererMs: Map<string, number>;
  errors: string[];
  statuses: string[];
}

const resolverPorts = info.resolvers.map((resolver) => Number(resolver.split(':')[1]));
const optionsFor = (slot: number, instrument: ScanInstrumentation): ScanOptions => ({
  resolver: info.resolvers[slot],
  allowPrivate: true,
  extraCa: [info.caPem],
  activeProbes: true,
  only: scanned,
  timeoutMs,
  dnsSources: { dnsblZones: [info.dnsblZone], certificateTransparencyUrl: null, rdapBootstrapUrl: null },
  instrument,
});

/** Scan every domain, `concurrency` at a time, each worker on its own resolver. */
async function scanAll<T>(domains: string[], scan: (domain: string, slot: number) => Promise<T>): Promise<T[]> {
  const queue = [...domains];
  const results: T[] = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async (_, slot) => {
      for (let domain = queue.shift(); domain; domain = queue.shift()) results.push(await scan(domain, slot));
    }),
  );
  return results;
}

/** The timed pass: wall time, DNS counts and each gatherer's wall time. */
async function timedScan(domain: string, slot: number): Promise<DomainRun> {
  const gathererMs = new Map<string, number>();
  const stopwatch: ScanInstrumentation = {
    gatherer: (kind, gather) => {
      const started = performance.now();
      const promise = gather();
      const stop = () => gathererMs.set(kind, performance.now() - started);
      promise.then(stop, stop);
      return promise;
    },
  };
  const before = (await resolverQueries())[slot] ?? 0;
  const started = performance.now();
  const scan = await scanDomain(domain, optionsFor(slot, stopwatch));
  const ms = performance.now() - started;
  const after = (await resolverQueries())[slot] ?? 0;
  return {
    domain,
    ms,
    resolverQueries: after - before,
    questions: scan.stats?.dns.lookups ?? 0,
    cacheHits: scan.stats?.dns.cacheHits ?? 0,
    gathererMs,
    errors: scan.results.filter((result) => result.status === 'error').map((result) => result.checkId),
    statuses: scan.results.map((result) => result.status),
  };
}

const sum = (numbers: number[]) => numbers.reduce((total, n) => total + n, 0);
const mean = (numbers: number[]) => (numbers.length > 0 ? sum(numbers) / numbers.length : Number.NaN);
const percentile = (numbers: number[], p: number) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const tally = (items: string[]) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
};

try {
  // Warm-up (module loading, JIT, first TLS contexts), not counted.
  await timedScan(info.domains[0] as string, 0);

  const started = performance.now();
  const runs = await scanAll(info.domains, timedScan);
  const elapsed = performance.now() - started;
  const peakMb = process.resourceUsage().maxRSS / 1024;

  let traces: ScanTrace[] = [];
  let traceSeconds = 0;
  if (tracing) {
    // The HTTP client keeps connections alive for 4 s: let the timed pass's expire, so the traced
    // pass opens (and sees) its own.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const tracer = installRoundTripTracing({ dnsPorts: resolverPorts, paced });
    const traceStarted = performance.now();
    traces = await scanAll(info.domains, async (domain, slot) => (await tracer.traceScan(() => scanDomain(domain, optionsFor(slot, tracer.instrument)))).trace);
    traceSeconds = (performance.now() - traceStarted) / 1000;
  }

  const times = runs.map((run) => run.ms);
  const queries = runs.map((run) => run.resolverQueries);
  const questions = sum(runs.map((run) => run.questions));
  const hits = sum(runs.map((run) => run.cacheHits));
  const errorChecks = tally(runs.flatMap((run) => run.errors));
  const statuses = tally(runs.flatMap((run) => run.statuses));
  const kinds = [...new Set(runs.flatMap((run) => [...run.gathererMs.keys()]))].sort();

  const lines = [
    `Cybermonitor e-mail + DNS + exposed-services benchmark (${new Date().toISOString()}, Node ${process.version})`,
    `${runs.length} loopback fixture domains, ${concurrency} scans at a time, active probes on, step timeout ${timeoutMs} ms`,
    `gatherers (${kinds.length}): ${kinds.join(' ')}`,
    `fixture mix: ${Object.entries(info.traits)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([trait, n]) => `${trait} ${n}`)
      .join(', ')}`,
    '',
    `domains scanned             ${runs.length}   (check results: ${statuses.map(([status, n]) => `${status} ${n}`).join(', ')})`,
    `total time                  ${seconds(elapsed)}   (${fixed((runs.length / elapsed) * 1000)} domains/s)`,
    `time per domain             mean ${seconds(mean(times))}   p50 ${seconds(percentile(times, 50))}   p95 ${seconds(percentile(times, 95))}   max ${seconds(Math.max(...times))}`,
    `DNS queries per domain      mean ${fixed(mean(queries))}   max ${Math.max(...queries)}   (received by the fixture resolver from the scan: caching client, DNSSEC walk, c-ares)`,
    `DNS cache hit rate          ${fixed((hits / questions) * 100)} %   (${hits} of ${questions} questions to the scan's caching DNS client, ${fixed(questions / runs.length)} per domain)`,
  ];
  if (traces.length > 0) {
    const critical = traces.map((trace) => trace.critical.all);
    const criticalDns = traces.map((trace) => trace.critical.dns);
    const longest = tally(traces.map((trace) => trace.criticalGatherer ?? '(none)'));
    lines.push(
      `critical path               mean ${fixed(mean(critical))}   max ${Math.max(...critical)} round trips   (DNS among them: mean ${fixed(mean(criticalDns))}, max ${Math.max(...criticalDns)}; at 30 ms RTT that chain alone takes ${seconds(mean(critical) * 30)})`,
      `  longest chain in          ${longest.map(([kind, n]) => `${kind} ${fixed((n / traces.length) * 100, 0)} %`).join(', ')}`,
      `round trips per domain      mean ${fixed(mean(traces.map((trace) => trace.roundTrips)))}   (DNS ${fixed(mean(traces.map((trace) => trace.dnsRoundTrips)))})`,
    );
  }
  lines.push(
    `peak memory                 ${peakMb.toFixed(0)} MB (max RSS of the scanning process in the timed pass)`,
    `scans with an error result  ${runs.filter((run) => run.errors.length > 0).length}${errorChecks.length > 0 ? ` (${errorChecks.map(([id, n]) => `${id} ${n}`).join(', ')})` : ''}`,
  );
  if (errorChecks.some(([id]) => id === 'dns.dnssec')) {
    lines.push('  dns.dnssec: the fixture resolver serves no DNSSEC records, so validation from the root stops at its first question (resolver_without_dnssec)');
  }
  lines.push('', `per gatherer                  time mean   p95${traces.length > 0 ? '   round trips mean   critical path mean / max (DNS)' : ''}`);
  for (const kind of kinds) {
    const gathererTimes = runs.flatMap((run) => run.gathererMs.get(kind) ?? []);
    const entries = traces.flatMap((trace) => trace.gatherers.get(kind) ?? []);
    const critical = entries.map((entry) => entry.critical.all);
    const traced =
      traces.length === 0
        ? ''
        : entries.length === 0
          ? '                0.0      0.0 / 0'
          : `   ${fixed(mean(entries.map((entry) => entry.roundTrips))).padStart(16)}   ${fixed(mean(critical)).padStart(6)} / ${String(Math.max(...critical)).padEnd(4)} (${fixed(mean(entries.map((entry) => entry.critical.dns)))})`;
    lines.push(`  ${kind.padEnd(26)}  ${seconds(mean(gathererTimes)).padStart(8)}   ${seconds(percentile(gathererTimes, 95)).padStart(6)}${traced}`);
  }
  if (traces.length > 0) {
    lines.push(
      '',
      `How the critical path is counted (bench/round-trips.ts; a second, traced pass over the same domains, ${fixed(traceSeconds)} s):`,
      '  a round trip is a DNS query and its answer (UDP, TCP, or one c-ares lookup), a TCP connect, a server greeting, a request and',
      '  the first bytes of its reply, or a TLS handshake (1 for TLS 1.3, 2 below). Every piece of scan code carries a depth: the deepest',
      '  round trip whose answer it has seen. The depth flows from caller to callee and callback (AsyncLocalStorage) and from the code',
      '  that settles a promise to the code awaiting it (v8 promise hooks), so shared DNS-cache answers count for every gatherer that',
      '  waits on them. A round trip starts at the depth of the code that starts it (or after the previous one on its socket) and ends',
      "  one deeper; the critical path is the scan's deepest round trip. network.exposure starts its probes from a per-address throttle",
      '  (8 at a time, 25 ms apart), so its connections count only the DNS before them: its ~23 x 25 ms per address is pacing, not RTTs.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await closeServer();
}
