// SNMP on UDP 161 against a real agent (Debian's snmpd, net-snmp) and against UDP responders
// that are not SNMP. Addresses 127.0.10.200–127.0.10.254 only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { networkExposedServicesCheck } from '../../src/checks/network/exposed-services.ts';
import { networkKnownExploitedCheck } from '../../src/checks/network/known-exploited.ts';
import { gatherExposureEvidence } from '../../src/evidence/exposure/exposure.ts';
import { maxAttempts, probeSnmp } from '../../src/net/port-probe/snmp.ts';
import { peakConcurrency, resetPeaks } from '../../src/net/port-probe/throttle.ts';
import { createResolver } from '../../src/net/resolver.ts';
import { startZoneServer, type ZoneServer } from '../fixtures/dns-zones.ts';
import { foreignRequestId, type Snmpd, startSnmpd, startUdpResponder, type UdpResponder } from '../fixtures/snmpd.ts';

const agentAddress = '127.0.10.200';
const privateCommunityAddress = '127.0.10.201';
const garbageAddress = '127.0.10.202';
const foreignIdAddress = '127.0.10.203';
const nothingAddress = '127.0.10.204';
const silentAddress = '127.0.10.205';
const echoAddress = '127.0.10.206';
const dnsAddress = '127.0.10.253';

// A Linux NAS as net-snmp describes it by default (uname).
const sysDescr = 'Linux nas-kantoor 4.4.302+ #69057 SMP Fri Jan 12 17:02:28 CST 2024 x86_64';

const readTimeoutMs = 400;

describe('SNMP probe against a real snmpd and impostors', () => {
  let agent: Snmpd;
  let privateAgent: Snmpd;
  let dns: ZoneServer;
  const responders: UdpResponder[] = [];
  let garbage: UdpResponder;
  let silent: UdpResponder;

  before(async () => {
    agent = await startSnmpd({ address: agentAddress, community: 'public', sysDescr });
    privateAgent = await startSnmpd({ address: privateCommunityAddress, community: 'Kq7-monitoring-only', sysDescr: 'should never be read' });
    garbage = await startUdpResponder(garbageAddress, 161, () => Buffer.from('\x30\x82\xff\xffGARBLED\x00\x01{}[]<>', 'latin1'));
    silent = await startUdpResponder(silentAddress, 161, () => undefined);
    responders.push(
      garbage,
      silent,
      await startUdpResponder(foreignIdAddress, 161, foreignRequestId(agent)),
      await startUdpResponder(echoAddress, 161, (request) => request),
    );
    dns = await startZoneServer(
      new Map([
        ['snmp.example.test', [{ type: 'A', data: agentAddress }]],
        ['www.snmp.example.test', [{ type: 'A', data: agentAddress }]],
        ['quiet.example.test', [{ type: 'A', data: silentAddress }]],
      ]),
      { host: dnsAddress },
    );
  });
  after(async () => {
    await Promise.all([agent?.stop(), privateAgent?.stop(), dns?.close(), ...responders.map((responder) => responder.close())]);
  });

  it('identifies net-snmp answering the default community, with the sysDescr as banner', async () => {
    const result = await probeSnmp(agentAddress, { readTimeoutMs });
    assert.equal(result.state, 'open', agent.log());
    assert.equal(result.transport, 'udp');
    assert.equal(result.port, 161);
    assert.equal(result.service, 'snmp');
    assert.equal(result.banner, sysDescr);
    assert.equal(result.product, 'linux-kernel');
    assert.equal(result.version, '4.4.302');
    assert.deepEqual(result.detail, { community: 'public', snmpVersion: '2c', errorStatus: 0 });
    assert.equal(result.connections, 1, 'one datagram was enough');
  });

  it('does not identify an agent whose community is not a default one (it stays silent: filtered)', async () => {
    const result = await probeSnmp(privateCommunityAddress, { readTimeoutMs });
    assert.equal(result.service, null);
    assert.equal(result.state, 'filtered');
    assert.equal(result.connections, maxAttempts);
  });

  it('does not identify a genuine Response that carries another request id', async () => {
    const result = await probeSnmp(foreignIdAddress, { readTimeoutMs });
    assert.equal(result.service, null);
    assert.equal(result.state, 'open', 'something answered');
    assert.match(result.banner ?? '', /public/, 'the answer was the real agent’s, relayed');
  });

  it('does not identify garbage, nor our own request echoed', async () => {
    const noise = await probeSnmp(garbageAddress, { readTimeoutMs });
    assert.equal(noise.service, null);
    assert.equal(noise.state, 'open');
    assert.match(noise.banner ?? '', /GARBLED/);
    assert.equal(noise.connections, 1, 'an answer that is not SNMP is not asked again');
    const echo = await probeSnmp(echoAddress, { readTimeoutMs });
    assert.equal(echo.service, null);
    assert.equal(echo.state, 'open');
  });

  it('no answer is not open: two attempts, then filtered; an ICMP refusal is closed at once', async () => {
    const before = silent.received();
    const started = Date.now();
    const quiet = await probeSnmp(silentAddress, { readTimeoutMs });
    const elapsed = Date.now() - started;
    assert.equal(quiet.state, 'filtered');
    assert.equal(quiet.service, null);
    assert.equal(silent.received() - before, 2, 'at most 2 attempts');
    assert.ok(elapsed >= 2 * readTimeoutMs - 20 && elapsed < 2 * readTimeoutMs + 500, `${elapsed} ms`);
    const closed = await probeSnmp(nothingAddress, { readTimeoutMs });
    assert.equal(closed.state, 'closed');
    assert.ok(closed.durationMs < 200, `${closed.durationMs} ms`);
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await probeSnmp(silentAddress, { readTimeoutMs: 2000, signal: controller.signal });
    assert.equal(result.state, 'skipped');
    assert.ok(result.durationMs < 500);
  });

  it('through the gatherer and the checks: fail high with the SNMP summary, product announced to the KEV check', async () => {
    resetPeaks();
    const resolver = createResolver(dns.address, 1000);
    const sent: string[] = [];
    const evidence = await gatherExposureEvidence('snmp.example.test', {
      resolver,
      allowPrivate: true,
      timeoutMs: 1000,
      ports: [],
      limits: { maxConcurrent: 1, minIntervalMs: 25 },
      onConnect: (address, port) => sent.push(`${address}:${port}`),
    });
    assert.equal(evidence.data.portsPerAddress, 1);
    const snmp = evidence.data.targets[0]?.ports.find((port) => port.transport === 'udp');
    assert.equal(snmp?.service, 'snmp');
    assert.deepEqual(sent, [`${agentAddress}:161`]);
    assert.ok(peakConcurrency(agentAddress) <= 1, 'the per-IP socket limit covers the UDP probe');

    const now = new Date('2026-06-01T12:00:00.000Z');
    const exposure = networkExposedServicesCheck.judge(evidence.data, { now });
    assert.equal(exposure.status, 'fail');
    assert.equal(exposure.severity, 'high');
    assert.equal(exposure.summaryKey, 'checks.network.exposed-services.snmp');
    assert.equal(exposure.summaryParams.services, `SNMP (${agentAddress}:161/udp)`);
    assert.equal(exposure.summaryParams.sysDescr, sysDescr);
    const kev = networkKnownExploitedCheck.judge(evidence.data, { now });
    assert.equal(kev.summaryKey, 'checks.network.known-exploited.pass');
    assert.deepEqual((kev.details.announced as Array<{ product: string }>).map((service) => service.product), ['linux-kernel']);

    const quiet = await gatherExposureEvidence('quiet.example.test', { resolver, allowPrivate: true, timeoutMs: 1000, ports: [] });
    assert.equal(quiet.data.targets[0]?.ports[0]?.state, 'filtered');
    assert.equal(networkExposedServicesCheck.judge(quiet.data, { now }).status, 'pass', 'no answer over UDP is not an open port');
  });

  it('is not run by the gatherer for a refused (loopback) target', async () => {
    const before = silent.received();
    const resolver = createResolver(dns.address, 1000);
    const evidence = await gatherExposureEvidence('quiet.example.test', { resolver, allowPrivate: false, timeoutMs: 1000, ports: [] });
    assert.equal(evidence.data.error, 'target_refused');
    assert.equal(silent.received() - before, 0);
  });
});
