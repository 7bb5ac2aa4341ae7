import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DnsRecords, type FixtureDnsServer, startDnsServer } from '../../test/fixtures/dns-server.ts';
import { AppError } from '../errors.ts';
import { createResolver, parseResolverAddress } from './resolver.ts';

describe('createResolver', () => {
  let dns: FixtureDnsServer;
  before(async () => {
    dns = await startDnsServer(
      new Map([
        ['dual.example.test', { a: ['127.0.1.10', '127.0.1.11'], aaaa: ['::1'] }],
        ['v6only.example.test', { aaaa: ['fd00::1'] }],
        ['empty.example.test', {}],
        ['silent.example.test', { silent: true }],
      ]),
    );
  });
  after(() => dns.close());

  it('returns IPv4 addresses first, then IPv6', async () => {
    const resolver = createResolver(dns.address, 2000);
    assert.deepEqual(await resolver.resolveAddresses('dual.example.test'), ['127.0.1.10', '127.0.1.11', '::1']);
    assert.deepEqual(await resolver.resolveAddresses('v6only.example.test'), ['fd00::1']);
  });

  it('answers unknown names and names without addresses with no addresses', async () => {
    const resolver = createResolver(dns.address, 2000);
    assert.deepEqual(await resolver.lookupAddresses('nope.example.test'), { addresses: [], failure: 'no_address' });
    assert.deepEqual(await resolver.lookupAddresses('empty.example.test'), { addresses: [], failure: 'no_address' });
  });

  it('gives up on a silent server within the deadline', async () => {
    const resolver = createResolver(dns.address, 400);
    const started = Date.now();
    assert.deepEqual(await resolver.lookupAddresses('silent.example.test'), { addresses: [], failure: 'dns_timeout' });
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });
});

describe('createResolver answers from memory', () => {
  let dns: FixtureDnsServer;
  const zone = new Map<string, DnsRecords>();
  before(async () => {
    dns = await startDnsServer(zone);
  });
  after(() => dns.close());

  it('keeps an answer with addresses for one resolver (its TTL, at most 30 s); a new resolver asks again', async () => {
    zone.set('kept.example.test', { a: ['127.0.1.20'] });
    const resolver = createResolver(dns.address, 2000);
    const [first, concurrent] = await Promise.all([resolver.lookupAddresses('kept.example.test'), resolver.lookupAddresses('KEPT.example.test')]);
    assert.deepEqual(first, { addresses: ['127.0.1.20'] });
    assert.deepEqual(concurrent, { addresses: ['127.0.1.20'] });
    zone.set('kept.example.test', { a: ['127.0.1.21'] });
    assert.deepEqual(await resolver.lookupAddresses('kept.example.test'), { addresses: ['127.0.1.20'] });
    assert.deepEqual(await createResolver(dns.address, 2000).lookupAddresses('kept.example.test'), { addresses: ['127.0.1.21'] });
  });

  it('does not keep a name without addresses nor a failure', async () => {
    const resolver = createResolver(dns.address, 300);
    assert.deepEqual(await resolver.lookupAddresses('later.example.test'), { addresses: [], failure: 'no_address' });
    zone.set('late.example.test', { silent: true });
    assert.deepEqual(await resolver.lookupAddresses('late.example.test'), { addresses: [], failure: 'dns_timeout' });
    zone.set('later.example.test', { a: ['127.0.1.22'] });
    zone.set('late.example.test', { a: ['127.0.1.23'] });
    assert.deepEqual(await resolver.lookupAddresses('later.example.test'), { addresses: ['127.0.1.22'] });
    assert.deepEqual(await resolver.lookupAddresses('late.example.test'), { addresses: ['127.0.1.23'] });
  });

  it('hands every caller its own list', async () => {
    zone.set('own.example.test', { a: ['127.0.1.24'] });
    const resolver = createResolver(dns.address, 2000);
    (await resolver.lookupAddresses('own.example.test')).addresses.push('203.0.113.1');
    assert.deepEqual(await resolver.lookupAddresses('own.example.test'), { addresses: ['127.0.1.24'] });
  });
});

describe('parseResolverAddress', () => {
  it('accepts IP addresses with and without a port', () => {
    assert.equal(parseResolverAddress('127.0.0.1:5353'), '127.0.0.1:5353');
    assert.equal(parseResolverAddress('9.9.9.9'), '9.9.9.9:53');
    assert.equal(parseResolverAddress('[::1]:5353'), '[::1]:5353');
  });

  it('refuses host names, bad ports and junk', () => {
    for (const server of ['dns.example.com:53', '127.0.0.1:0', '127.0.0.1:70000', '::1:53', '', '1.2.3.4:53 ; rm', '[1.2.3.4]:53']) {
      assert.throws(() => parseResolverAddress(server), (error: unknown) => error instanceof AppError && error.code === 'validation', server);
    }
  });
});
