// The exposure scan end to end: a fixture DNS server, hosts on 127.0.10.x with real listeners
// on their standard ports, scanDomain with and without active probes. Without active probes
// (or with a loopback target refused) not one TCP connection may reach a fixture listener.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Evidence } from '../../src/checks/types.ts';
import type { ExposureEvidence } from '../../src/evidence/exposure/exposure-evidence.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import { startZoneServer, type ZoneServer } from '../fixtures/dns-zones.ts';
import { behaviours, type ServiceHost, startServiceHost } from '../fixtures/services.ts';

const exposedAddress = '127.0.10.1';
const cleanAddress = '127.0.10.2';
const impostorAddress = '127.0.10.3';

describe('exposure scan through scanDomain', () => {
  let dns: ZoneServer;
  let exposed: ServiceHost;
  let impostor: ServiceHost;
  const hosts = () => [exposed, impostor];
  const totalAccepts = () => hosts().reduce((total, host) => total + host.accepts(), 0);

  before(async () => {
    dns = await startZoneServer(
      new Map([
        ['exposed.example.test', [{ type: 'A', data: exposedAddress }]],
        ['www.exposed.example.test', [{ type: 'A', data: exposedAddress }]],
        ['clean.example.test', [{ type: 'A', data: cleanAddress }]],
        ['impostor.example.test', [{ type: 'A', data: impostorAddress }]],
        // A public-looking name that points into loopback.
        ['exposed-bakkerij.nl', [{ type: 'A', data: exposedAddress }]],
      ]),
      { host: '127.0.11.53' },
    );
    exposed = await startServiceHost(exposedAddress, [
      { port: 21, behaviour: behaviours.ftp('220 Serv-U FTP Server v15.1.6 ready...') },
      { port: 22, behaviour: behaviours.ssh('OpenSSH_7.4') },
      { port: 23, behaviour: behaviours.telnet() },
      { port: 25, behaviour: behaviours.smtp('220 exposed.example.test ESMTP Exim 4.92 Mon, 30 Nov 2026 10:00:00 +0100') },
      { port: 139, behaviour: behaviours.netbios() },
      { port: 445, behaviour: behaviours.smb() },
      { port: 1433, behaviour: behaviours.mssql() },
      { port: 3306, behaviour: behaviours.mysql() },
      { port: 3389, behaviour: behaviours.rdp(1) },
      { port: 5432, behaviour: behaviours.postgresql() },
      { port: 5900, behaviour: behaviours.vnc() },
      { port: 6379, behaviour: behaviours.redisNoAuth() },
      { port: 9100, behaviour: behaviours.pjl() },
      {
        port: 9200,
        behaviour: behaviours.http({
          headers: { 'Content-Type': 'application/json; charset=UTF-8' },
          body: JSON.stringify({ cluster_name: 'elasticsearch', version: { number: '1.1.1' } }),
        }),
      },
      { port: 10000, tls: true, behaviour: behaviours.http({ headers: { Server: 'MiniServ/1.920' }, body: '<title>Login to Webmin</title>' }) },
      { port: 27017, behaviour: behaviours.mongodb() },
    ]);
    impostor = await startServiceHost(impostorAddress, [
      { port: 3389, behaviour: behaviours.garbage() },
      { port: 6379, behaviour: behaviours.silent() },
      { port: 445, behaviour: behaviours.echo() },
      { port: 21, behaviour: behaviours.fake220() },
      { port: 5432, behaviour: behaviours.postgresqlImpostor() },
    ]);
  });
  after(async () => {
    await Promise.all([dns.close(), ...hosts().map((host) => host.close())]);
  });

  const scan = (domain: string, options: { activeProbes: boolean; allowPrivate?: boolean }) =>
    scanDomain(domain, { resolver: dns.address, allowPrivate: options.allowPrivate ?? true, activeProbes: options.activeProbes, timeoutMs: 1000 });

  it('never touches a port without active probes', async () => {
    const before = totalAccepts();
    const result = await scan('exposed.example.test', { activeProbes: false });
    assert.equal(result.evidence.some((item) => item.kind === 'network.exposure'), false);
    assert.equal(result.results.some((item) => item.checkId === 'network.exposed-services'), false);
    assert.equal(totalAccepts() - before, 0, 'no connection reached a fixture listener');
  });

  it('refuses a loopback target when private targets are not allowed, without connecting', async () => {
    const before = totalAccepts();
    const result = await scan('exposed-bakkerij.nl', { activeProbes: true, allowPrivate: false });
    const exposure = result.results.find((item) => item.checkId === 'network.exposed-services');
    assert.equal(exposure?.status, 'error');
    assert.equal(exposure?.summaryKey, 'checks.reason.target_refused');
    assert.equal(totalAccepts() - before, 0);
  });

  it('finds and names every exposed service, and the known exploited versions', async () => {
    const started = Date.now();
    const result = await scan('exposed.example.test', { activeProbes: true });
    const elapsed = Date.now() - started;
    const evidence = result.evidence.find((item) => item.kind === 'network.exposure') as Evidence<ExposureEvidence>;
    assert.equal(evidence.data.targets.length, 1, 'the domain and www share one address, scanned once');
    assert.deepEqual(evidence.data.targets[0]?.names, ['exposed.example.test', 'www.exposed.example.test']);
    const services = Object.fromEntries((evidence.data.targets[0]?.ports ?? []).filter((port) => port.state === 'open').map((port) => [port.port, port.service]));
    assert.deepEqual(services, {
      21: 'ftp',
      22: 'ssh',
      23: 'telnet',
      25: 'smtp',
      139: 'netbios',
      445: 'smb',
      1433: 'mssql',
      3306: 'mysql',
      3389: 'rdp',
      5432: 'postgresql',
      5900: 'vnc',
      6379: 'redis',
      9100: 'printer-raw',
      9200: 'elasticsearch',
      10000: 'admin-panel',
      27017: 'mongodb',
    });
    assert.equal(evidence.data.complete, true);

    const exposure = result.results.find((item) => item.checkId === 'network.exposed-services');
    assert.equal(exposure?.status, 'fail');
    assert.equal(exposure?.severity, 'critical');
    assert.match(String(exposure?.summaryParams.services), /RDP \(127\.0\.10\.1:3389\)/);

    const kev = result.results.find((item) => item.checkId === 'network.known-exploited');
    assert.equal(kev?.status, 'fail');
    assert.equal(kev?.severity, 'critical');
    for (const cve of ['CVE-2021-35211', 'CVE-2019-16928', 'CVE-2019-15107', 'CVE-2014-3120', 'CVE-2015-1427']) {
      assert.match(String(kev?.summaryParams.cves), new RegExp(cve), `${cve} is named`);
    }
    console.log(`# exposure scan: ${evidence.data.portsPerAddress} ports on 1 address, 16 services identified, scan ${elapsed} ms (gatherer ${evidence.data.durationMs} ms)`);
  });

  it('passes a host where nothing listens', async () => {
    const result = await scan('clean.example.test', { activeProbes: true });
    assert.equal(result.results.find((item) => item.checkId === 'network.exposed-services')?.status, 'pass');
    assert.equal(result.results.find((item) => item.checkId === 'network.known-exploited')?.summaryKey, 'checks.network.known-exploited.no_versions');
  });

  it('does not take open ports that speak nonsense for the service their number suggests', async () => {
    const result = await scan('impostor.example.test', { activeProbes: true });
    const evidence = result.evidence.find((item) => item.kind === 'network.exposure') as Evidence<ExposureEvidence>;
    const open = (evidence.data.targets[0]?.ports ?? []).filter((port) => port.state === 'open');
    assert.deepEqual(open.map((port) => port.port).sort((a, b) => a - b), [21, 445, 3389, 5432, 6379]);
    assert.ok(open.every((port) => port.service === null), JSON.stringify(open));
    const exposure = result.results.find((item) => item.checkId === 'network.exposed-services');
    assert.equal(exposure?.status, 'notice', 'open but unidentified is worth a look, not an RDP finding');
  });
});
