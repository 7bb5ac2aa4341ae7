// The lookalike gatherer against a real DNS server on loopback: registered lookalikes with and
// without mail, a null MX, a defensive registration, an IDN homoglyph, and a name that times out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gatherLookalikeEvidence } from '../../src/evidence/lookalikes/lookalikes.ts';
import { createDnsClient } from '../../src/net/dns-client.ts';
import { peopleLookalikeDomainsCheck } from '../../src/checks/people/lookalike-domains.ts';
import { startZoneServer, type Zone, type ZoneServer } from '../fixtures/dns-zones.ts';

const ownNs = [{ type: 'NS' as const, data: 'ns1.hoster.example' }, { type: 'NS' as const, data: 'ns2.hoster.example' }];
const ownMx = { type: 'MX' as const, data: { preference: 0, exchange: 'bakkerij-nl.mail.protection.outlook.com' } };

const zone: Zone = new Map([
  ['bakkerij.nl', [...ownNs, ownMx]],
  // A squatter with mail: the phishing risk.
  ['bakkerij.com', [{ type: 'NS', data: 'ns1.parking.example' }, { type: 'MX', data: { preference: 10, exchange: 'mx.parking.example' } }]],
  // Cyrillic а in place of the Latin a, as punycode.
  ['xn--bkkerij-2fg.nl', [{ type: 'NS', data: 'ns1.evil.example' }, { type: 'MX', data: { preference: 10, exchange: 'mail.evil.example' } }]],
  // Registered, no mail.
  ['bakerij.nl', [{ type: 'NS', data: 'ns1.parking.example' }]],
  // Registered, declares it never handles mail.
  ['bakkerij.be', [{ type: 'NS', data: 'ns1.parking.example' }, { type: 'MX', data: { preference: 0, exchange: '.' } }]],
  // The company's own defensive registration: same name servers, same mail.
  ['bakkerij.eu', [...ownNs, ownMx]],
  // No delegation of its own, but an address.
  ['bakkerij.shop', [{ type: 'A', data: '192.0.2.80' }, { type: 'MX', data: { preference: 10, exchange: 'mail.shop-squat.example' } }]],
  // A name whose NS question is never answered: counted as a failure, not as free.
  ['bakkerij.net', [{ type: 'TIMEOUT' }]],
]);

describe('lookalike gatherer', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(zone, { host: '127.0.11.53' });
  });
  after(() => server.close());

  it('finds the registered lookalikes and which of them take mail', async () => {
    const dns = createDnsClient({ server: server.address, timeoutMs: 300 });
    const started = Date.now();
    const evidence = await gatherLookalikeEvidence('www.bakkerij.nl', { dns });
    const elapsed = Date.now() - started;
    const data = evidence.data;
    assert.equal(evidence.kind, 'people.lookalikes');
    assert.equal(data.domain, 'bakkerij.nl');
    assert.ok(data.generated > 50 && data.generated <= 120, `generated ${data.generated}`);
    assert.equal(data.checked, data.generated);
    assert.equal(data.dnsFailures, 1, 'bakkerij.net timed out');
    assert.deepEqual(data.original.mailExchangers, ['bakkerij-nl.mail.protection.outlook.com']);
    const byName = new Map(data.registered.map((item) => [item.name, item]));
    assert.deepEqual([...byName.keys()].sort(), ['bakerij.nl', 'bakkerij.be', 'bakkerij.com', 'bakkerij.eu', 'bakkerij.shop', 'xn--bkkerij-2fg.nl']);
    assert.deepEqual(byName.get('bakkerij.com')?.mailExchangers, ['mx.parking.example']);
    assert.equal(byName.get('xn--bkkerij-2fg.nl')?.unicode, 'bаkkerij.nl');
    assert.equal(byName.get('bakkerij.be')?.nullMx, true);
    assert.equal(byName.get('bakkerij.eu')?.likelyOwned, true);
    assert.equal(byName.get('bakkerij.com')?.likelyOwned, false);
    assert.deepEqual(byName.get('bakkerij.shop')?.addresses, ['192.0.2.80']);
    console.log(`# lookalikes: ${data.generated} names, ${server.queries()} DNS questions, ${elapsed} ms`);

    const result = peopleLookalikeDomainsCheck.judge(data, { now: new Date() });
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryParams.count, 3);
    assert.equal(result.summaryParams.names, 'bakkerij.com, bakkerij.shop, bаkkerij.nl (xn--bkkerij-2fg.nl)');
  });

  it('stops when the scan deadline passes and says the check is incomplete', async () => {
    const dns = createDnsClient({ server: server.address, timeoutMs: 300 });
    const evidence = await gatherLookalikeEvidence('bakkerij.nl', { dns, signal: AbortSignal.abort() });
    assert.equal(evidence.data.complete, false);
    assert.ok(evidence.data.checked < evidence.data.generated);
  });

  it('refuses a name that is itself a public suffix', async () => {
    const dns = createDnsClient({ server: server.address, timeoutMs: 300 });
    const evidence = await gatherLookalikeEvidence('co.uk', { dns });
    assert.equal(evidence.data.error, 'not_registrable');
    assert.equal(server.queries() > 0, true);
  });
});
