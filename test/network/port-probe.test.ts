// Protocol identification against real listeners that speak each protocol's first bytes, and
// against listeners that are open but are not the service (garbage, echo, silence, a bare 220).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PortSpec, RequestProbeId } from '../../src/net/port-probe/catalogue.ts';
import { type PortResult, scanAddress } from '../../src/net/port-probe/scan-ports.ts';
import { peakConcurrency, resetPeaks } from '../../src/net/port-probe/throttle.ts';
import { type Behaviour, behaviours, type ServiceListener, startServiceListener } from '../fixtures/services.ts';

const address = '127.0.10.10';

interface Case {
  name: string;
  behaviour: Behaviour;
  probes: RequestProbeId[];
  tls?: boolean;
  expect: Partial<Pick<PortResult, 'service' | 'product' | 'version'>> & { detail?: Record<string, unknown> };
}

const identified: Case[] = [
  { name: 'OpenSSH banner', behaviour: behaviours.ssh('OpenSSH_7.4'), probes: [], expect: { service: 'ssh', product: 'openssh', version: '7.4' } },
  {
    name: 'Serv-U FTP greeting confirmed by USER → 331',
    behaviour: behaviours.ftp('220 Serv-U FTP Server v15.2.3 ready...'),
    probes: [],
    expect: { service: 'ftp', product: 'serv-u', version: '15.2.3' },
  },
  {
    name: 'Exim SMTP greeting confirmed by EHLO → 250',
    behaviour: behaviours.smtp('220 mail.example.test ESMTP Exim 4.92 Mon, 30 Nov 2026 10:00:00 +0100'),
    probes: [],
    expect: { service: 'smtp', product: 'exim', version: '4.92', detail: { starttls: true } },
  },
  { name: 'Telnet option negotiation', behaviour: behaviours.telnet(), probes: [], expect: { service: 'telnet' } },
  { name: 'VNC RFB banner', behaviour: behaviours.vnc(), probes: [], expect: { service: 'vnc', detail: { protocol: '3.8' } } },
  { name: 'MySQL handshake', behaviour: behaviours.mysql(), probes: [], expect: { service: 'mysql', product: 'mysql', version: '5.7.33' } },
  { name: 'MySQL refusing our host', behaviour: behaviours.mysqlRefusing(), probes: [], expect: { service: 'mysql', detail: { errorCode: 1130 } } },
  { name: 'Redis PING → -NOAUTH', behaviour: behaviours.redisNoAuth(), probes: ['redis'], expect: { service: 'redis', detail: { authentication: 'required' } } },
  {
    name: 'Redis PING → +PONG, INFO for the version',
    behaviour: behaviours.redisOpen('6.0.16'),
    probes: ['redis'],
    expect: { service: 'redis', version: '6.0.16', detail: { authentication: 'none' } },
  },
  { name: 'PostgreSQL SSLRequest → N, startup → R', behaviour: behaviours.postgresql(), probes: ['postgresql'], expect: { service: 'postgresql', detail: { tls: false, authentication: 'required' } } },
  { name: 'MongoDB hello over OP_MSG', behaviour: behaviours.mongodb(), probes: ['mongodb'], expect: { service: 'mongodb', detail: { maxWireVersion: 17 } } },
  { name: 'RDP X.224 Connection Confirm with CredSSP', behaviour: behaviours.rdp(2), probes: ['rdp'], expect: { service: 'rdp', detail: { nla: true, securityProtocol: 'credssp' } } },
  { name: 'RDP without NLA', behaviour: behaviours.rdp(1), probes: ['rdp'], expect: { service: 'rdp', detail: { nla: false } } },
  { name: 'SMB2 negotiate response', behaviour: behaviours.smb(), probes: ['smb'], expect: { service: 'smb', detail: { dialect: '3.0.2', signingRequired: true } } },
  { name: 'NetBIOS positive session response', behaviour: behaviours.netbios(), probes: ['netbios'], expect: { service: 'netbios' } },
  { name: 'MS SQL PRELOGIN response', behaviour: behaviours.mssql(), probes: ['mssql'], expect: { service: 'mssql', version: '15.0.2000' } },
  { name: 'PJL INFO ID on a raw printer port', behaviour: behaviours.pjl(), probes: ['pjl'], expect: { service: 'printer-raw', detail: { model: 'HP LaserJet 4250' } } },
  {
    name: 'Elasticsearch root document',
    behaviour: behaviours.http({
      headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ name: 'node-1', cluster_name: 'elasticsearch', version: { number: '1.1.1' }, tagline: 'You Know, for Search' }),
    }),
    probes: ['http'],
    expect: { service: 'elasticsearch', product: 'elasticsearch', version: '1.1.1' },
  },
  {
    name: 'Webmin over TLS (MiniServ)',
    behaviour: behaviours.http({ headers: { Server: 'MiniServ/1.920' }, body: '<html><head><title>Login to Webmin</title></head></html>' }),
    probes: ['https', 'http'],
    tls: true,
    expect: { service: 'admin-panel', product: 'webmin', version: '1.920', detail: { tls: true } },
  },
  {
    name: 'Synology DSM login page',
    behaviour: behaviours.http({ body: '<html><head><title>Synology DiskStation - nas</title></head></html>' }),
    probes: ['http', 'https'],
    expect: { service: 'nas-admin', product: 'synology-dsm' },
  },
  {
    name: 'FortiGate SSL-VPN redirect',
    behaviour: behaviours.http({ status: 302, headers: { Location: '/remote/login?lang=en' }, body: '' }),
    probes: ['https', 'http'],
    expect: { service: 'vpn-portal', product: 'fortinet-fortigate' },
  },
  {
    name: 'a plain web page stays http',
    behaviour: behaviours.http({ headers: { Server: 'Apache/2.4.49 (Unix)' }, body: '<title>Welkom</title>' }),
    probes: ['http'],
    expect: { service: 'http', product: 'apache-http-server', version: '2.4.49' },
  },
];

const impostors: Array<{ name: string; behaviour: Behaviour; probes: RequestProbeId[]; banner?: boolean }> = [
  { name: 'garbage on an RDP port', behaviour: behaviours.garbage(), probes: ['rdp'], banner: true },
  { name: 'garbage on an SSH port', behaviour: behaviours.garbage(), probes: [], banner: true },
  { name: 'an echo server on the Redis port', behaviour: behaviours.echo(), probes: ['redis'] },
  { name: 'an echo server on the SMB port', behaviour: behaviours.echo(), probes: ['smb'] },
  { name: 'an echo server answering HTTP', behaviour: behaviours.echo(), probes: ['http'] },
  { name: 'an echo server on the MongoDB port', behaviour: behaviours.echo(), probes: ['mongodb', 'mongodb-legacy'] },
  { name: 'silence on the MySQL port', behaviour: behaviours.silent(), probes: [] },
  { name: 'silence on the PostgreSQL port', behaviour: behaviours.silent(), probes: ['postgresql'] },
  { name: 'a bare 220 that is neither FTP nor SMTP', behaviour: behaviours.fake220(), probes: [], banner: true },
  { name: "a server that says 'N' and then nonsense", behaviour: behaviours.postgresqlImpostor(), probes: ['postgresql'] },
  { name: 'a server that hangs up at once', behaviour: behaviours.hangUp(), probes: ['rdp', 'http'] },
  {
    name: 'replies whose length fields lie (SMB, TDS, MongoDB, RDP parsers)',
    behaviour: (socket) =>
      socket.on('data', () => socket.write(Buffer.from([0x00, 0x00, 0x00, 0x48, 0xfe, 0x53, 0x4d, 0x42, 0x40, 0x00, 0xff, 0xff, 0x04, 0x01, 0xff, 0xff, 0x03, 0x00, 0xff, 0x7f]))),
    probes: ['smb', 'mssql', 'mongodb'],
  },
];

describe('port probe: protocol identification', () => {
  const listeners: ServiceListener[] = [];
  const identifiedPorts: Array<{ test: Case; listener: ServiceListener }> = [];
  const impostorPorts: Array<{ test: (typeof impostors)[number]; listener: ServiceListener }> = [];

  before(async () => {
    for (const test of identified) {
      const listener = await startServiceListener(address, 0, test.behaviour, { tls: test.tls });
      listeners.push(listener);
      identifiedPorts.push({ test, listener });
    }
    for (const test of impostors) {
      const listener = await startServiceListener(address, 0, test.behaviour);
      listeners.push(listener);
      impostorPorts.push({ test, listener });
    }
  });
  after(async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
  });

  const options = { host: 'services.example.test', connectTimeoutMs: 1000, readTimeoutMs: 700 };

  it('identifies each service by talking its protocol', async () => {
    const specs: PortSpec[] = identifiedPorts.map(({ test, listener }) => ({ port: listener.port, name: test.name, probes: test.probes }));
    const results = await scanAddress(address, { ...options, ports: specs });
    for (const [index, { test }] of identifiedPorts.entries()) {
      const result = results[index] as PortResult;
      assert.equal(result.state, 'open', test.name);
      for (const [field, value] of Object.entries(test.expect)) {
        if (field === 'detail') {
          for (const [key, expected] of Object.entries(value as Record<string, unknown>)) assert.equal(result.detail[key], expected, `${test.name}: detail.${key}`);
        } else {
          assert.equal(result[field as keyof PortResult], value, `${test.name}: ${field} (got ${JSON.stringify(result)})`);
        }
      }
    }
  });

  it('never identifies a listener that does not speak the protocol', async () => {
    const specs: PortSpec[] = impostorPorts.map(({ test, listener }) => ({ port: listener.port, name: test.name, probes: test.probes }));
    const results = await scanAddress(address, { ...options, ports: specs });
    for (const [index, { test }] of impostorPorts.entries()) {
      const result = results[index] as PortResult;
      assert.equal(result.state, 'open', test.name);
      assert.equal(result.service, null, `${test.name} was taken for ${result.service}`);
      if (test.banner) assert.ok(result.banner && result.banner.length > 0, `${test.name}: the unrecognised banner is kept`);
      assert.ok(result.connections <= 3, `${test.name}: at most 3 connections`);
    }
  });

  it('reports refused ports as closed', async () => {
    const spare = await startServiceListener(address, 0, behaviours.silent());
    const port = spare.port;
    await spare.close();
    const [result] = await scanAddress(address, { ...options, ports: [{ port, name: 'gone', probes: ['http'] }] });
    assert.equal(result?.state, 'closed');
  });

  it('keeps at most 8 sockets open per address', async () => {
    const many = await Promise.all(Array.from({ length: 20 }, () => startServiceListener('127.0.10.11', 0, behaviours.silent())));
    try {
      resetPeaks();
      const results = await scanAddress('127.0.10.11', {
        ...options,
        readTimeoutMs: 200,
        ports: many.map((listener) => ({ port: listener.port, name: 'silent', probes: [] })),
      });
      assert.equal(results.filter((result) => result.state === 'open').length, 20);
      assert.ok(peakConcurrency('127.0.10.11') <= 8, `peak ${peakConcurrency('127.0.10.11')}`);
      assert.ok(peakConcurrency('127.0.10.11') >= 2, 'ports are scanned concurrently');
    } finally {
      await Promise.all(many.map((listener) => listener.close()));
    }
  });
});
