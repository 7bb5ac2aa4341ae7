// The DNS checks inside a whole scan: scanDomain and `cybermonitor scan --trust-anchor FILE`
// against the bind9 world, trust starting at the fixture's signed parent zone.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runScanCommand, type ScanReport } from '../../src/cli/commands/scan.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import type { Bind9Server } from '../fixtures/bind9.ts';
import { dnsblZone, fixtureDomains, startDnsWorld } from './dns-world.ts';
import { type DnsHttpServices, startDnsHttpServices } from './http-services.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('DNS checks in a scan', () => {
  let dns: Bind9Server;
  let http: DnsHttpServices;
  before(async () => {
    dns = await startDnsWorld();
    http = await startDnsHttpServices();
  });
  after(async () => {
    await http?.close();
    await dns?.close();
  });

  it('runs every DNS and reputation check in scanDomain', async () => {
    const scan = await scanDomain(fixtureDomains.secure, {
      resolver: dns.address,
      allowPrivate: true,
      timeoutMs: 1500,
      activeProbes: true,
      only: ['dns.', 'reputation.'],
      trustAnchors: dns.trustAnchor,
      dnsSources: { dnsblZones: [dnsblZone], certificateTransparencyUrl: http.ctUrl, rdapBootstrapUrl: http.bootstrapUrl, subdomains: ['intranet'] },
    });
    const verdicts = Object.fromEntries(scan.results.map((result) => [result.checkId, result.status]));
    assert.deepEqual(verdicts, {
      'dns.dnssec': 'pass',
      'dns.caa': 'pass',
      'dns.nameservers': 'warn',
      'dns.zone-transfer': 'pass',
      'dns.dangling-cname': 'pass',
      'dns.registration': 'pass',
      'reputation.dnsbl': 'pass',
    });
  });

  it('leaves the zone transfer out of a scan without active probes', async () => {
    const scan = await scanDomain(fixtureDomains.axfrOpen, { resolver: dns.address, allowPrivate: true, timeoutMs: 1500, only: ['dns.zone-transfer'] });
    assert.deepEqual(scan.results, []);
  });

  it('cybermonitor scan --trust-anchor FILE validates from that anchor', async () => {
    const run = async (domain: string, trustAnchorFile: string) => {
      const out = new Collect();
      const err = new Collect();
      const code = await runScanCommand({ domain, json: true, resolver: dns.address, allowPrivate: true, lang: 'en', timeoutMs: 1500, trustAnchorFile }, out, err);
      return { code, out: out.text, err: err.text };
    };
    const secure = await run(fixtureDomains.secure, dns.trustAnchorFile);
    assert.equal(secure.code, 0, secure.err);
    const report = JSON.parse(secure.out) as ScanReport;
    const dnssec = report.results.find((result) => result.check === 'dns.dnssec');
    assert.equal(dnssec?.status, 'pass');
    assert.equal(dnssec?.title, 'DNSSEC (signed DNS)');
    const bogus = JSON.parse((await run(fixtureDomains.bogusDs, dns.trustAnchorFile)).out) as ScanReport;
    const broken = bogus.results.find((result) => result.check === 'dns.dnssec');
    assert.equal(broken?.status, 'fail');
    assert.match(broken?.remediation ?? '', /DS record/);

    const invalid = join(dns.directory, 'invalid-anchor.zone');
    await writeFile(invalid, 'test. IN DS 1 13 2 not-hex\n');
    const refused = await run(fixtureDomains.secure, invalid);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /line 1: digest must be hexadecimal/);
    const missing = await run(fixtureDomains.secure, join(dns.directory, 'no-such-file'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot be read/);
  });
});
