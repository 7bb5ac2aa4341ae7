// Runs the real MDN HTTP Observatory scan against fixture hosts and prints one JSON line per
// host. Started as a child process by the agreement test, with NODE_EXTRA_CA_CERTS set to the
// fixture CA: Node reads that variable only at start-up.
//   node test/web/observatory-runner.ts <dns-server host:port> <host> [<host> …]
// The Observatory resolves names with dns.lookup (the system resolver); here, names are looked
// up at the fixture DNS server instead, as our scanner does with --resolver.
import dns from 'node:dns';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

const [dnsServer, ...hosts] = process.argv.slice(2);
if (!dnsServer || hosts.length === 0) {
  process.stderr.write('usage: observatory-runner.ts <dns host:port> <host>…\n');
  process.exit(2);
}

/** Its post-install step downloads the HSTS preload list; offline we give it an empty one. */
function ensurePreloadList(): void {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('@mdn/mdn-http-observatory/package.json'));
  const file = join(packageRoot, 'conf', 'hsts-preload.json');
  if (!existsSync(file)) writeFileSync(file, '{}\n');
}

const fixtureResolver = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
fixtureResolver.setServers([dnsServer]);
const systemLookup = dns.lookup;

function fixtureLookup(hostname: string, options: unknown, callback?: LookupCallback): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  if (isIP(hostname)) {
    (systemLookup as (h: string, o: unknown, c: LookupCallback) => void)(hostname, typeof options === 'function' ? {} : options, done);
    return;
  }
  fixtureResolver.resolve4(hostname).then(
    (addresses) => {
      if (all) done(null, addresses.map((address) => ({ address, family: 4 })));
      else done(null, addresses[0], 4);
    },
    (error: NodeJS.ErrnoException) => done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', cause: error })),
  );
}
(dns as { lookup: unknown }).lookup = fixtureLookup;

ensurePreloadList();
// A specifier in a variable: the package ships JavaScript without type declarations.
const observatoryPackage = '@mdn/mdn-http-observatory';
const { scan } = (await import(observatoryPackage)) as { scan: (host: string) => Promise<ObservatoryScan> };

interface ObservatoryScan {
  scan: { score: number; grade: string };
  tests: Record<string, { result: string | null; scoreModifier: number | null }>;
}

for (const host of hosts) {
  try {
    const result = await scan(host);
    const tests = Object.fromEntries(Object.entries(result.tests).map(([name, test]) => [name, test.result]));
    process.stdout.write(`${JSON.stringify({ host, score: result.scan.score, grade: result.scan.grade, tests })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ host, error: (error as Error).message })}\n`);
  }
}
