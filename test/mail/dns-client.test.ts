// The DNS client against a real DNS server on loopback: answers, the kinds of "no", failures
// from a hostile server, TCP fallback, CNAME chains and the cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../src/errors.ts';
import { createDnsClient, parseServerAddress } from '../../src/net/dns-client.ts';
import { bytes, startZoneServer, type Zone, type ZoneServer } from '../fixtures/dns-zones.ts';

const bigTxt = Array.from({ length: 12 }, (_, index) => bytes(`${String(index).padStart(2, '0')}${'x'.repeat(200)}`));

const zone: Zone = new Map([
  ['mail.example.test', [
    { type: 'A', data: '192.0.2.10' },
    { type: 'AAAA', data: '2001:DB8::10' },
    { type: 'MX', data: { preference: 10, exchange: 'MX1.example.test' } },
    { type: 'TXT', data: [bytes('v=spf1 '), bytes('-all')] },
    { type: 'TXT', data: [bytes('caf\xE9')] },
    { type: 'TXT', data: [] },
  ]],
  ['nullmx.example.test', [{ type: 'MX', data: { preference: 0, exchange: '.' } }]],
  ['10.2.0.192.in-addr.arpa', [{ type: 'PTR', data: 'Mail.Example.test.' }]],
  ['alias.example.test', [{ type: 'CNAME', data: 'mail.example.test' }]],
  ['loop1.example.test', [{ type: 'CNAME', data: 'loop2.example.test' }]],
  ['loop2.example.test', [{ type: 'CNAME', data: 'loop1.example.test' }]],
  ['dangling.example.test', [{ type: 'CNAME', data: 'gone.example.test' }]],
  ['silent.example.test', [{ type: 'TIMEOUT' }]],
  ['servfail.example.test', [{ type: 'BEHAVIOUR', behaviour: 'servfail' }]],
  ['refused.example.test', [{ type: 'BEHAVIOUR', behaviour: 'refused' }]],
  ['garbage.example.test', [{ type: 'BEHAVIOUR', behaviour: 'garbage' }]],
  ['spoofed.example.test', [{ type: 'BEHAVIOUR', behaviour: 'wrong-id-first' }]],
  ['truncated.example.test', [{ type: 'BEHAVIOUR', behaviour: 'always-truncated' }]],
  ['big.example.test', [{ type: 'TXT', data: bigTxt }, { type: 'TXT', data: [bytes('second')] }]],
]);

describe('DNS client', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(zone, { host: '127.0.5.2' });
  });
  after(() => server.close());

  const client = (timeoutMs = 2000) => createDnsClient({ server: server.address, timeoutMs });

  it('returns A, AAAA, MX, PTR and TXT records', async () => {
    const dns = client();
    assert.deepEqual(await dns.a('Mail.Example.TEST.'), { status: 'ok', records: ['192.0.2.10'], ttl: 300 });
    assert.deepEqual(await dns.aaaa('mail.example.test'), { status: 'ok', records: ['2001:db8::10'], ttl: 300 });
    assert.deepEqual(await dns.mx('mail.example.test'), { status: 'ok', records: [{ preference: 10, exchange: 'mx1.example.test' }], ttl: 300 });
    assert.deepEqual(await dns.mx('nullmx.example.test'), { status: 'ok', records: [{ preference: 0, exchange: '' }], ttl: 300 });
    assert.deepEqual(await dns.ptr('10.2.0.192.in-addr.arpa'), { status: 'ok', records: ['mail.example.test'], ttl: 300 });
    const txt = await dns.txt('mail.example.test');
    assert.equal(txt.status, 'ok');
    // Strings of one record are joined without separator; bytes stay bytes; an empty record stays.
    assert.deepEqual(txt.status === 'ok' && txt.records, ['v=spf1 -all', 'caf\u00e9', '']);
  });

  it('tells NXDOMAIN from a name without that type', async () => {
    const dns = client();
    assert.deepEqual(await dns.txt('nothing.example.test'), { status: 'nxdomain' });
    assert.deepEqual(await dns.txt('nullmx.example.test'), { status: 'nodata' });
  });

  it('follows CNAME chains in the answer and reports loops and dangling aliases', async () => {
    const dns = client();
    assert.deepEqual(await dns.a('alias.example.test'), { status: 'ok', records: ['192.0.2.10'], ttl: 300 });
    assert.deepEqual(await dns.a('loop1.example.test'), { status: 'error', failure: 'cname_loop' });
    assert.deepEqual(await dns.a('dangling.example.test'), { status: 'nxdomain' });
  });

  it('gives up on a silent server within its deadline', async () => {
    const dns = client(300);
    const started = Date.now();
    assert.deepEqual(await dns.txt('silent.example.test'), { status: 'error', failure: 'timeout' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(dns.stats().timeouts, 2);
  });

  it('turns SERVFAIL, REFUSED and undecodable answers into failures without waiting', async () => {
    const dns = client(5000);
    const started = Date.now();
    assert.deepEqual(await dns.a('servfail.example.test'), { status: 'error', failure: 'servfail' });
    assert.deepEqual(await dns.a('refused.example.test'), { status: 'error', failure: 'refused' });
    assert.deepEqual(await dns.a('garbage.example.test'), { status: 'error', failure: 'malformed' });
    assert.ok(Date.now() - started < 1000);
  });

  it('ignores an answer with the wrong id', async () => {
    assert.deepEqual(await client().a('spoofed.example.test'), { status: 'ok', records: ['192.0.2.1'], ttl: 300 });
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    const dns = client();
    const txt = await dns.txt('big.example.test');
    assert.equal(txt.status, 'ok');
    assert.equal(txt.status === 'ok' && txt.records.length, 2);
    assert.equal(txt.status === 'ok' && txt.records[0]?.length, 12 * 202);
    assert.equal(dns.stats().tcpFallbacks, 1);
    // A server that truncates even over TCP gives no records, not a hang.
    assert.deepEqual(await dns.a('truncated.example.test'), { status: 'nodata' });
  });

  it('answers repeated and concurrent questions from its cache', async () => {
    const dns = client();
    const before = server.queries();
    const answers = await Promise.all([dns.a('mail.example.test'), dns.a('MAIL.example.test.'), dns.a('mail.example.test')]);
    await dns.a('mail.example.test');
    assert.equal(new Set(answers.map((answer) => JSON.stringify(answer))).size, 1);
    assert.equal(server.queries() - before, 1);
    assert.deepEqual(dns.stats(), { lookups: 4, cacheHits: 3, packetsSent: 1, tcpFallbacks: 0, timeouts: 0 });
  });

  it('refuses names DNS cannot carry without sending anything', async () => {
    const dns = client();
    assert.deepEqual(await dns.a(`${'a'.repeat(64)}.example.test`), { status: 'error', failure: 'invalid_name' });
    assert.deepEqual(await dns.a('a..example.test'), { status: 'error', failure: 'invalid_name' });
    assert.equal(dns.stats().packetsSent, 0);
  });

  it('reads server addresses as --resolver gives them, and refuses names', () => {
    assert.deepEqual(parseServerAddress('127.0.5.1:5353'), { host: '127.0.5.1', port: 5353 });
    assert.deepEqual(parseServerAddress('192.0.2.53'), { host: '192.0.2.53', port: 53 });
    assert.deepEqual(parseServerAddress('[2001:db8::53]:853'), { host: '2001:db8::53', port: 853 });
    assert.deepEqual(parseServerAddress('2001:db8::53'), { host: '2001:db8::53', port: 53 });
    for (const bad of ['dns.example:53', '127.0.0.1:0', '127.0.0.1:70000', '2001:db8::53:53:x']) {
      assert.throws(() => parseServerAddress(bad), (error: unknown) => isAppError(error) && error.messageKey === 'validation.resolver_invalid', bad);
    }
  });
});
