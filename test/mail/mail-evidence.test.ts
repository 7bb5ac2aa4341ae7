// SPF and DMARC evidence gathered through the real DNS client from a DNS server on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gatherDmarcEvidence } from '../../src/evidence/mail/dmarc.ts';
import { gatherSpfEvidence } from '../../src/evidence/mail/spf.ts';
import { createDnsClient } from '../../src/net/dns-client.ts';
import { bytes, startZoneServer, type Zone, type ZoneEntry, type ZoneServer } from '../fixtures/dns-zones.ts';

const txt = (...records: string[]): ZoneEntry[] => records.map((record) => ({ type: 'TXT', data: [bytes(record)] }));

const zone: Zone = new Map<string, ZoneEntry[]>([
  // A Microsoft 365 customer with its own office range, one far too wide.
  ['bakkerij.example', txt('v=spf1 ip4:203.0.113.0/24 ip4:10.0.0.0/8 ip6:2001:db8::/32 include:spf.protection.outlook.com -all', 'google-site-verification=abc')],
  ['spf.protection.outlook.com', txt('v=spf1 ip4:40.92.0.0/15 ip6:2a01:111:f400::/48 include:spfd.protection.outlook.com -all')],
  ['spfd.protection.outlook.com', txt('v=spf1 ip4:51.4.72.0/24 -all')],
  ['_dmarc.bakkerij.example', txt('v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@bakkerij.example,mailto:reports@rapport.example!10m; ruf=mailto:f@onbevoegd.example')],
  ['bakkerij.example._report._dmarc.rapport.example', txt('v=DMARC1')],
  // A subdomain without its own DMARC record: the organisational domain's applies.
  ['shop.bakkerij.example', txt('v=spf1 redirect=bakkerij.example')],
  // Google Workspace with a soft fail and a monitoring-only DMARC policy.
  ['kapper.example', txt('v=spf1 include:_spf.google.com ~all')],
  ['_spf.google.com', txt('v=spf1 include:_netblocks.google.com ~all')],
  ['_netblocks.google.com', txt('v=spf1 ip4:35.190.247.0/24 ~all')],
  ['_dmarc.kapper.example', txt('v=DMARC1; p=none')],
  // Too many lookups, and two records.
  ['druk.example', [...txt('v=spf1 a a a a a a a a a a a -all'), { type: 'A', data: '198.51.100.7' }]],
  ['dubbel.example', txt('v=spf1 -all', 'v=spf1 +all')],
  ['_dmarc.dubbel.example', txt('v=DMARC1; p=reject', 'v=DMARC1; p=none')],
  ['fout.example', txt('v=spf1 ip4:192.0.2 -all')],
  ['_dmarc.fout.example', txt('v=DMARC1; p=rejected; pct=150')],
  ['leeg.example', [{ type: 'A', data: '192.0.2.80' }]],
  ['stil.example', [{ type: 'TIMEOUT' }]],
  ['_dmarc.stil.example', [{ type: 'TIMEOUT' }]],
]);

describe('mail evidence (SPF, DMARC)', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(zone, { host: '127.0.5.3' });
  });
  after(() => server.close());
  const dns = () => createDnsClient({ server: server.address, timeoutMs: 300, attempts: 1 });

  it('walks an SPF policy and keeps the facts: lookups, closing all, wide own ranges, provider', async () => {
    const client = dns();
    const before = server.queries();
    const { kind, data } = await gatherSpfEvidence('bakkerij.example', { dns: client });
    assert.equal(kind, 'mail.spf');
    assert.equal(data.lookupError, null);
    assert.equal(data.records.length, 1);
    assert.equal(data.evaluation?.result, 'fail');
    assert.equal(data.evaluation?.dnsLookups, 2);
    assert.equal(data.evaluation?.voidLookups, 0);
    assert.deepEqual(data.evaluation?.matched, { domain: 'bakkerij.example', term: '-all' });
    assert.equal(data.allQualifier, '-');
    assert.deepEqual(data.includes, ['spf.protection.outlook.com', 'spfd.protection.outlook.com']);
    assert.deepEqual(data.providers, ['microsoft365']);
    // Microsoft's own /15 is not the customer's doing: only the customer's ranges count.
    assert.deepEqual(data.broadRanges, [
      { domain: 'bakkerij.example', term: 'ip4:10.0.0.0/8', family: 4, prefixLength: 8 },
      { domain: 'bakkerij.example', term: 'ip6:2001:db8::/32', family: 6, prefixLength: 32 },
    ]);
    assert.deepEqual(
      data.evaluation?.records.map((record) => [record.domain, record.via, record.depth, record.ownOrganisation]),
      [
        ['bakkerij.example', 'initial', 0, true],
        ['spf.protection.outlook.com', 'include', 1, false],
        ['spfd.protection.outlook.com', 'include', 2, false],
      ],
    );
    assert.equal(server.queries() - before, 3, 'one TXT query per record, the first one answered from the cache');
  });

  it('follows a redirect to find the closing all', async () => {
    const { data } = await gatherSpfEvidence('shop.bakkerij.example', { dns: dns() });
    assert.equal(data.allQualifier, '-');
    assert.equal(data.evaluation?.dnsLookups, 3);
    assert.deepEqual(data.includes, ['bakkerij.example', 'spf.protection.outlook.com', 'spfd.protection.outlook.com']);
  });

  it('reports the lookup limit, several records and syntax errors as permerror with a reason', async () => {
    const client = dns();
    const tooMany = (await gatherSpfEvidence('druk.example', { dns: client })).data;
    assert.equal(tooMany.evaluation?.result, 'permerror');
    assert.deepEqual(tooMany.evaluation?.problem, { code: 'lookup_limit', domain: 'druk.example', detail: 'a' });
    assert.equal(tooMany.evaluation?.dnsLookups, 11);
    const twice = (await gatherSpfEvidence('dubbel.example', { dns: client })).data;
    assert.equal(twice.records.length, 2);
    assert.equal(twice.evaluation?.problem?.code, 'multiple_records');
    const broken = (await gatherSpfEvidence('fout.example', { dns: client })).data;
    assert.deepEqual(broken.evaluation?.problem, { code: 'syntax', domain: 'fout.example', detail: 'ip4:192.0.2: invalid IPv4 network' });
  });

  it('says plainly when there is no SPF or DMARC record, and when DNS does not answer', async () => {
    const client = dns();
    const spf = (await gatherSpfEvidence('leeg.example', { dns: client })).data;
    assert.deepEqual(spf, { domain: 'leeg.example', lookupError: null, records: [], evaluation: null, allQualifier: null, broadRanges: [], includes: [], providers: [] });
    const dmarc = (await gatherDmarcEvidence('leeg.example', { dns: client })).data;
    assert.equal(dmarc.source, null);
    assert.equal(dmarc.lookupError, null);
    assert.equal((await gatherSpfEvidence('stil.example', { dns: client })).data.lookupError, 'dns_timeout');
    assert.equal((await gatherDmarcEvidence('stil.example', { dns: client })).data.lookupError, 'dns_timeout');
  });

  it('stops waiting when the scan is out of time', async () => {
    const controller = new AbortController();
    const pending = gatherSpfEvidence('stil.example', { dns: createDnsClient({ server: server.address, timeoutMs: 1500 }), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    assert.equal((await pending).data.lookupError, 'dns_timeout');
    assert.ok(Date.now() - started < 1000);
  });

  it('parses DMARC and checks that outside report addresses agreed to receive reports', async () => {
    const client = dns();
    const { kind, data } = await gatherDmarcEvidence('bakkerij.example', { dns: client });
    assert.equal(kind, 'mail.dmarc');
    assert.equal(data.source, 'domain');
    assert.equal(data.recordDomain, 'bakkerij.example');
    assert.equal(data.policy?.p, 'reject');
    assert.equal(data.policy?.pct, 50);
    assert.deepEqual(data.errors, []);
    assert.deepEqual(data.externalDestinations, [
      { kind: 'rua', uri: 'mailto:reports@rapport.example', domain: 'rapport.example', authorisationName: 'bakkerij.example._report._dmarc.rapport.example', authorised: true },
      { kind: 'ruf', uri: 'mailto:f@onbevoegd.example', domain: 'onbevoegd.example', authorisationName: 'bakkerij.example._report._dmarc.onbevoegd.example', authorised: false },
    ]);
  });

  it('finds DMARC at the organisational domain, and reports several records and bad values', async () => {
    const client = dns();
    const sub = (await gatherDmarcEvidence('shop.bakkerij.example', { dns: client })).data;
    assert.equal(sub.organisationalDomain, 'bakkerij.example');
    assert.equal(sub.source, 'organisational');
    assert.equal(sub.policy?.p, 'reject');
    const twice = (await gatherDmarcEvidence('dubbel.example', { dns: client })).data;
    assert.equal(twice.records.length, 2);
    assert.equal(twice.policy, null);
    const bad = (await gatherDmarcEvidence('fout.example', { dns: client })).data;
    assert.deepEqual(bad.errors.map((error) => error.code), ['p_invalid', 'pct_invalid']);
  });
});
