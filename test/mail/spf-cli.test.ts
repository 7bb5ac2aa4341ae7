// `cybermonitor spf` through the real bin (Node 24 from node_modules) against a DNS server on
// loopback, as an operator would run it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { runSpfCommand, type SpfCommandArgs } from '../../src/cli/commands/spf.ts';
import { isAppError } from '../../src/errors.ts';
import { bytes, startZoneServer, type Zone, type ZoneEntry, type ZoneServer } from '../fixtures/dns-zones.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const txt = (record: string): ZoneEntry => ({ type: 'TXT', data: [bytes(record)] });

const zone: Zone = new Map<string, ZoneEntry[]>([
  ['bakkerij.example', [txt('v=spf1 ip4:198.51.100.0/24 mx -all exp=uitleg.bakkerij.example'), { type: 'MX', data: { preference: 10, exchange: 'mx.bakkerij.example' } }]],
  ['mx.bakkerij.example', [{ type: 'A', data: '203.0.113.25' }, { type: 'AAAA', data: '2001:db8::25' }]],
  ['uitleg.bakkerij.example', [txt('%{i} mag niet mailen als %{s}')]],
  ['kapper.example', [txt('v=spf1 include:_spf.google.example ~all')]],
  ['_spf.google.example', [txt('v=spf1 ip4:192.0.2.0/28 ~all')]],
  ['zonder-uitleg.example', [txt('v=spf1 -all')]],
  ['kapot.example', [txt('v=spf1 ip4:192.0.2 -all')]],
  ['traag.example', [{ type: 'TIMEOUT' }]],
]);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cybermonitor(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(`${root}node_modules/.bin/node`, [`${root}bin/cybermonitor.js`, ...args], {
      cwd: root,
      env: { ...process.env, LANG: 'en_GB.UTF-8', LC_ALL: '' },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('cybermonitor spf', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(zone, { host: '127.0.5.4' });
  });
  after(() => server.close());
  const spf = (...args: string[]) => cybermonitor('spf', ...args, '--resolver', server.address);
  /** The same command in-process, for the many variants (a process start costs about a second). */
  const inProcess = async (domain: string, ip: string, extra: Partial<SpfCommandArgs> = {}) => {
    const out = capture();
    const code = await runSpfCommand({ domain, ip, resolver: server.address, json: false, lang: 'en', timeoutMs: 300, ...extra }, out.stream);
    return { code, stdout: out.text() };
  };

  it('through the real bin: result word, explanation, reason, JSON, and exit code 2 for bad input', async () => {
    const [pass, json, fail, temperror, badIp, noIp] = await Promise.all([
      spf('bakkerij.example', '--ip', '198.51.100.7'),
      spf('bakkerij.example', '--ip', '203.0.113.25', '--json'),
      spf('bakkerij.example', '--ip', '192.0.2.1', '--sender', 'jan@bakkerij.example', '--helo', 'mail.elders.example'),
      spf('traag.example', '--ip', '192.0.2.1', '--timeout', '300'),
      spf('bakkerij.example', '--ip', '300.1.2.3'),
      cybermonitor('spf', 'bakkerij.example'),
    ]);
    assert.deepEqual(pass, { code: 0, stdout: 'pass\n', stderr: '' });
    assert.equal(json.code, 0);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(report.result, 'pass');
    assert.deepEqual(report.matched, { domain: 'bakkerij.example', term: 'mx' });
    assert.equal(report.dnsLookups, 1);
    assert.equal(report.explanation, null);
    // The domain's own explanation (exp=), with its macros expanded.
    assert.deepEqual(fail, { code: 0, stdout: 'fail\n192.0.2.1 mag niet mailen als jan@bakkerij.example\n', stderr: '' });
    assert.deepEqual(temperror, { code: 0, stdout: 'temperror\ndns_error: traag.example: timeout\n', stderr: '' });
    assert.equal(badIp.code, 2);
    assert.match(badIp.stderr, /"300\.1\.2\.3" is not an IP address/);
    assert.equal(noIp.code, 2);
  });

  it('refuses a resolver that is not an IP address', async () => {
    await assert.rejects(inProcess('bakkerij.example', '192.0.2.1', { resolver: 'dns.example:53' }), (error: unknown) => isAppError(error) && error.code === 'validation');
  });

  it('prints pass and softfail for IPv4, IPv6 and included ranges', async () => {
    assert.deepEqual(await inProcess('bakkerij.example', '2001:db8::25'), { code: 0, stdout: 'pass\n' });
    assert.equal((await inProcess('kapper.example', '192.0.2.9')).stdout, 'pass\n');
    assert.equal((await inProcess('kapper.example', '192.0.2.99')).stdout, 'softfail\n');
  });

  it('prints a default explanation when the domain gives none, in the chosen language', async () => {
    assert.equal((await inProcess('zonder-uitleg.example', '192.0.2.1')).stdout, 'fail\nzonder-uitleg.example does not allow 192.0.2.1 to send mail as postmaster@zonder-uitleg.example.\n');
    assert.equal((await inProcess('zonder-uitleg.example', '192.0.2.1', { lang: 'nl' })).stdout, 'fail\nzonder-uitleg.example staat 192.0.2.1 niet toe mail te versturen als postmaster@zonder-uitleg.example.\n');
  });

  it('prints permerror with the reason, and none for a domain without SPF', async () => {
    assert.equal((await inProcess('kapot.example', '192.0.2.1')).stdout, 'permerror\nsyntax: kapot.example: ip4:192.0.2: invalid IPv4 network\n');
    assert.equal((await inProcess('nergens.example', '192.0.2.1')).stdout, 'none\n');
  });
});
