// Runs the benchmark sites in their own process (as real servers would be), prints one JSON
// line with how to reach them, and serves until stdin closes.
//   node bench/bench-sites-server.ts COUNT
import { startBenchSites } from './bench-sites.ts';

const sites = await startBenchSites(Number(process.argv[2] ?? '500'));
process.stdout.write(`${JSON.stringify({ resolver: sites.resolver, caPem: sites.caPem, caFile: sites.caFile, sites: sites.sites })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sites.close().then(() => process.exit(0));
});
