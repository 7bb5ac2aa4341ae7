// The DNS and reputation gatherers against a real bind9 and local HTTP services: every piece of
// evidence for passing and failing fixture domains, judged by its check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dnsCaaCheck } from '../../src/checks/dns/caa.ts';
import { dnsDanglingCnameCheck } from '../../src/checks/dns/dangling-cname.ts';
import { dnsDnssecCheck } from '../../src/checks/dns/dnssec.ts';
import { dnsNameserversCheck } from '../../src/checks/dns/nameservers.ts';
import { dnsRegistrationCheck } from '../../src/checks/dns/registration.ts';
import { dnsZoneTransferCheck } from '../../src/checks/dns/zone-transfer.ts';
import { reputationDnsblCheck } from '../../src/checks/reputation/dnsbl.ts';
import { gatherCaaEvidence } from '../../src/evidence/dns/caa.ts';
import { gatherDanglingCnameEvidence } from '../../src/evidence/dns/dangling-cname.ts';
import { gatherDnssecEvidence } from '../../src/evidence/dns/dnssec.ts';
import { gatherNameserversEvidence } from '../../src/evidence/dns/nameservers.ts';
import { gatherRegistrationEvidence } from '../../src/evidence/dns/registration.ts';
import { rawDnsClientFor } from '../../src/evidence/dns/scan-dns.ts';
import { createDnsClient } from '../../src/net/dns-client.ts';
import { gatherZoneTransferEvidence } from '../../src/evidence/dns/zone-transfer.ts';
import { gatherDnsblEvidence } from '../../src/evidence/reputation/dnsbl.ts';
import { createResolver } from '../../src/net/resolver.ts';
import type { Bind9Server } from '../fixtures/bind9.ts';
import { dnsblZone, fixtureDomains, listedMailHost, startDnsWorld } from './dns-world.ts';
import { type DnsHttpServices, startDnsHttpServices } from './http-services.ts';

describe('DNS gatherers against bind9', () => {
  let dns: Bind9Server;
  let http: DnsHttpServices;
  const timeoutMs = 2000;
  const now = () => new Date();
  const tools = () => ({ dns: createDnsClient({ server: dns.address, timeoutMs }), raw: rawDnsClientFor({ dnsServer: dns.address, timeoutMs }, {}) });
  const web = () => ({ resolver: createResolver(dns.address, timeoutMs), allowPrivate: true, timeoutMs, extraCa: [] });

  before(async () => {
    dns = await startDnsWorld();
    http = await startDnsHttpServices();
  });
  after(async () => {
    await http?.close();
    await dns?.close();
  });

  describe('dns.dnssec', () => {
    const judge = async (domain: string, anchors: 'fixture' | 'default' | string = 'fixture') => {
      const trustAnchors = anchors === 'fixture' ? dns.trustAnchor : anchors === 'default' ? undefined : anchors;
      const evidence = await gatherDnssecEvidence(domain, { raw: tools().raw, trustAnchors });
      return { evidence: evidence.data, result: dnsDnssecCheck.judge(evidence.data, { now: now() }) };
    };
    it('passes a signed domain, fails a bogus one, warns about an unsigned one', async () => {
      const secure = await judge(fixtureDomains.secure);
      assert.equal(secure.result.status, 'pass');
      assert.equal(secure.evidence.anchorSource, 'configured');
      assert.ok(secure.evidence.queries >= 3);
      assert.equal((await judge(fixtureDomains.bogusDs)).result.summaryKey, 'checks.dns.dnssec.bogus.ds_mismatch');
      assert.equal((await judge(fixtureDomains.expired)).result.summaryKey, 'checks.dns.dnssec.bogus.signature_expired');
      const unsigned = await judge(fixtureDomains.insecure);
      assert.equal(unsigned.result.status, 'warn');
      assert.equal(unsigned.result.summaryKey, 'checks.dns.dnssec.unsigned');
    });
    it('starts from the IANA root by default, which this server does not have: an error', async () => {
      const { evidence, result } = await judge(fixtureDomains.secure, 'default');
      assert.equal(evidence.anchorSource, 'iana_root');
      assert.equal(evidence.anchor, '.');
      assert.equal(result.status, 'error');
      assert.equal(result.summaryKey, 'checks.dns.reason.resolver_without_dnssec');
    });
    it('reports an invalid configured anchor as an error', async () => {
      const { result } = await judge(fixtureDomains.secure, 'not an anchor');
      assert.equal(result.summaryKey, 'checks.dns.reason.trust_anchor_invalid');
    });
  });

  describe('dns.caa', () => {
    it('finds CAA at the domain or a parent, and notices its absence', async () => {
      const found = await gatherCaaEvidence(`a.b.${fixtureDomains.secure}`, { dns: tools().dns });
      assert.equal(found.data.foundAt, fixtureDomains.secure);
      assert.deepEqual(found.data.lookups.map((lookup) => [lookup.name, lookup.status]), [
        ['a.b.secure.test', 'nodata'],
        ['b.secure.test', 'nodata'],
        ['secure.test', 'ok'],
      ]);
      const pass = dnsCaaCheck.judge(found.data, { now: now() });
      assert.equal(pass.status, 'pass');
      assert.equal(pass.summaryParams.issuers, 'letsencrypt.org');
      const missing = dnsCaaCheck.judge((await gatherCaaEvidence(fixtureDomains.insecure, { dns: tools().dns })).data, { now: now() });
      assert.equal(missing.status, 'notice');
      assert.deepEqual(
        (await gatherCaaEvidence(fixtureDomains.insecure, { dns: tools().dns })).data.lookups.map((lookup) => lookup.name),
        ['insecure.test'],
        'stops before the top-level domain',
      );
    });
  });

  describe('dns.nameservers', () => {
    const judge = async (domain: string) => dnsNameserversCheck.judge((await gatherNameserversEvidence(domain, { dns: tools().dns })).data, { now: now() });
    it('fails one name server, warns about two on one address, passes two networks', async () => {
      const single = await judge(fixtureDomains.oneNs);
      assert.equal(single.status, 'fail');
      assert.equal(single.summaryParams.names, 'ns1.one-ns.test');
      assert.equal((await judge(fixtureDomains.secure)).summaryKey, 'checks.dns.nameservers.same_address');
      const spread = await judge(fixtureDomains.spread);
      assert.equal(spread.status, 'pass', JSON.stringify(spread.details));
      assert.equal(spread.summaryParams.networks, 2);
    });
    it('finds the zone of a name inside it', async () => {
      const evidence = await gatherNameserversEvidence(`www.${fixtureDomains.secure}`, { dns: tools().dns });
      assert.equal(evidence.data.zone, fixtureDomains.secure);
      assert.deepEqual(evidence.data.nameServers.map((server) => server.name), ['ns1.secure.test', 'ns2.secure.test']);
    });
  });

  describe('dns.zone-transfer', () => {
    const gather = (domain: string, allowPrivate = true) => gatherZoneTransferEvidence(domain, { dns: tools().dns, allowPrivate, timeoutMs });
    it('fails a server that hands out the zone and passes one that refuses', async () => {
      const open = await gather(fixtureDomains.axfrOpen);
      const failed = dnsZoneTransferCheck.judge(open.data, { now: now() });
      assert.equal(failed.status, 'fail');
      assert.ok(open.data.attempts.every((attempt) => attempt.outcome === 'allowed'));
      assert.ok(open.data.attempts[0]?.sample.includes('secret-intranet.axfr-open.test'));
      const closed = dnsZoneTransferCheck.judge((await gather(fixtureDomains.secure)).data, { now: now() });
      assert.equal(closed.status, 'pass');
      assert.equal(closed.summaryParams.refused, 2);
    });
    it('does not connect to addresses the policy refuses', async () => {
      const evidence = await gather(fixtureDomains.axfrOpen, false);
      assert.ok(evidence.data.attempts.every((attempt) => attempt.outcome === 'not_allowed'));
      assert.equal(dnsZoneTransferCheck.judge(evidence.data, { now: now() }).summaryKey, 'checks.dns.zone-transfer.untested');
    });
  });

  describe('dns.dangling-cname', () => {
    it('confirms takeovers by NXDOMAIN and by the provider fingerprint, and leaves claimed aliases alone', async () => {
      const evidence = await gatherDanglingCnameEvidence(fixtureDomains.dangling, {
        ...web(),
        dns: tools().dns,
        subdomains: ['old', 'assets.dangling.test'],
        certificateTransparencyUrl: http.ctUrl,
      });
      const verdicts = Object.fromEntries(evidence.data.aliases.map((alias) => [alias.name, alias.verdict]));
      assert.deepEqual(verdicts, {
        'blog.dangling.test': 'ok',
        'docs.dangling.test': 'takeover',
        'legacy-portal.dangling.test': 'takeover',
        'old.dangling.test': 'takeover',
        'shop.dangling.test': 'takeover',
        'webmail.dangling.test': 'ok',
      });
      const byName = new Map(evidence.data.aliases.map((alias) => [alias.name, alias]));
      assert.equal(byName.get('old.dangling.test')?.service, 'azure');
      assert.deepEqual(byName.get('old.dangling.test')?.sources.sort(), ['common', 'declared']);
      assert.deepEqual(byName.get('legacy-portal.dangling.test')?.sources, ['certificate_transparency']);
      assert.equal(byName.get('docs.dangling.test')?.fingerprint?.matched, "There isn't a GitHub Pages site here.");
      assert.equal(byName.get('blog.dangling.test')?.fingerprint?.matched, null);
      assert.deepEqual(evidence.data.sources.certificateTransparency, { status: 'ok', names: 3, detail: null });
      const result = dnsDanglingCnameCheck.judge(evidence.data, { now: now() });
      assert.equal(result.status, 'fail');
      assert.equal(result.summaryParams.count, 4);
    });
    it('passes a domain without dangling aliases, with CT switched off', async () => {
      const evidence = await gatherDanglingCnameEvidence(fixtureDomains.insecure, { ...web(), dns: tools().dns, certificateTransparencyUrl: null });
      assert.equal(evidence.data.sources.certificateTransparency.status, 'off');
      assert.deepEqual(evidence.data.aliases.map((alias) => [alias.name, alias.verdict]), [['www.insecure.test', 'ok']]);
      assert.equal(dnsDanglingCnameCheck.judge(evidence.data, { now: now() }).status, 'pass');
    });
    it('records a CT source that fails without failing the check', async () => {
      const evidence = await gatherDanglingCnameEvidence(fixtureDomains.insecure, { ...web(), dns: tools().dns, certificateTransparencyUrl: 'http://127.0.8.40/nothing-here/' });
      assert.equal(evidence.data.sources.certificateTransparency.status, 'failed');
      assert.equal(dnsDanglingCnameCheck.judge(evidence.data, { now: now() }).status, 'pass');
    });
  });

  describe('dns.registration', () => {
    const judge = async (domain: string, bootstrapUrl: string | null = http.bootstrapUrl) =>
      dnsRegistrationCheck.judge((await gatherRegistrationEvidence(domain, { ...web(), bootstrapUrl })).data, { now: now() });
    it('passes, warns and fails on the RDAP expiry date; unknown is information', async () => {
      const pass = await judge(`www.${fixtureDomains.secure}`);
      assert.equal(pass.status, 'pass');
      assert.equal(pass.summaryParams.domain, fixtureDomains.secure);
      assert.equal(pass.summaryParams.registrar, 'Fixture Registrar B.V.');
      assert.equal((await judge(fixtureDomains.oneNs)).status, 'warn');
      assert.equal((await judge(fixtureDomains.insecure)).status, 'fail');
      assert.equal((await judge(fixtureDomains.nsec3)).summaryKey, 'checks.dns.registration.no_expiry');
      assert.equal((await judge(fixtureDomains.spread)).summaryKey, 'checks.dns.registration.not_found');
      assert.equal((await judge('bakkerij.nl')).summaryKey, 'checks.dns.registration.no_service');
      assert.equal((await judge(fixtureDomains.secure, null)).summaryKey, 'checks.dns.registration.off');
      assert.equal((await judge(fixtureDomains.secure, 'http://127.0.8.40/missing.json')).summaryParams.reason, 'bootstrap_failed');
    });
  });

  describe('reputation.dnsbl', () => {
    const gather = (domain: string, zones = [dnsblZone]) => gatherDnsblEvidence(domain, { dns: tools().dns, zones, allowPrivate: true });
    it('fails a listed mail server, with the zone and its reason', async () => {
      const evidence = await gather(fixtureDomains.dangling, [dnsblZone, 'gone-bl.test']);
      assert.deepEqual(evidence.data.zones.map((zone) => [zone.zone, zone.status]), [[dnsblZone, 'ok'], ['gone-bl.test', 'unavailable']]);
      assert.deepEqual(evidence.data.listings.map((listing) => [listing.address, listing.zone]), [[listedMailHost, dnsblZone]]);
      assert.match(evidence.data.listings[0]?.reason ?? '', /spam source/);
      const result = reputationDnsblCheck.judge(evidence.data, { now: now() });
      assert.equal(result.status, 'fail');
      assert.equal(result.summaryParams.addresses, listedMailHost);
    });
    it('passes clean addresses and skips non-public ones unless allowed', async () => {
      const clean = await gather(fixtureDomains.secure);
      assert.equal(reputationDnsblCheck.judge(clean.data, { now: now() }).status, 'pass');
      const strict = await gatherDnsblEvidence(fixtureDomains.secure, { dns: tools().dns, zones: [dnsblZone], allowPrivate: false });
      assert.equal(strict.data.addresses.length, 0);
      assert.ok(strict.data.skippedAddresses.length > 0);
      assert.equal(reputationDnsblCheck.judge(strict.data, { now: now() }).status, 'info');
    });
  });
});
