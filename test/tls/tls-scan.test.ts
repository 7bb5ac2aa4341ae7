// The protocol and cipher suite scan against real servers: Node, gnutls-serv and a scripted
// SSLv2/SSLv3 responder on 127.0.3.x, plus hostile ones.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gatherCiphersEvidence, gatherProtocolsEvidence } from '../../src/evidence/tls/tls-scan-gatherer.ts';
import { type TlsScan, scanTls } from '../../src/evidence/tls/tls-scan.ts';
import { ciphersEvidenceSchema, protocolsEvidenceSchema } from '../../src/evidence/tls/tls-scan-evidence.ts';
import { createResolver, type Resolver } from '../../src/net/resolver.ts';
import { type TlsFixtureName, type TlsFixtures, startTlsFixtures } from '../fixtures/tls-servers.ts';

describe('TLS protocol and cipher suite scan', () => {
  let fixtures: TlsFixtures;
  let resolver: Resolver;
  const scans = new Map<TlsFixtureName, TlsScan>();
  const scan = async (name: TlsFixtureName, timeoutMs = 2000) => {
    const cached = scans.get(name);
    if (cached && timeoutMs === 2000) return cached;
    const result = await scanTls(fixtures.sites[name].domain, { resolver, allowPrivate: true, timeoutMs });
    if (timeoutMs === 2000) scans.set(name, result);
    return result;
  };
  const accepted = (result: TlsScan) => result.protocols.filter((entry) => entry.accepted).map((entry) => entry.protocol);
  const codes = (result: TlsScan, protocol: string) => result.protocols.find((entry) => entry.protocol === protocol)?.suites.map((suite) => suite.code) ?? [];

  before(async () => {
    fixtures = await startTlsFixtures();
    resolver = createResolver(fixtures.resolver, 1000);
  });
  after(() => fixtures.close());

  it('finds TLS 1.2 and 1.3 with their suites on a modern server, by full handshakes, in few connections', async () => {
    const result = await scan('modern');
    assert.equal(result.error, null);
    assert.equal(result.address, fixtures.sites.modern.address);
    assert.deepEqual(accepted(result), ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(result.protocols.filter((entry) => entry.accepted).map((entry) => entry.via), ['handshake', 'handshake']);
    assert.deepEqual(codes(result, 'TLSv1.2'), ['c02c', 'cca9', 'c02b']);
    assert.deepEqual(codes(result, 'TLSv1.3'), ['1302', '1303', '1301']);
    assert.ok(result.protocols.every((entry) => entry.complete));
    assert.equal(result.protocols.find((entry) => entry.protocol === 'TLSv1')?.detail, 'alert 70');
    assert.ok(result.handshakes <= 20, `${result.handshakes} connections`);
  });

  it('finds TLS 1.0 and 1.1 on a legacy server and TLS 1.3 alone on a TLS 1.3 server', async () => {
    assert.deepEqual(accepted(await scan('legacy')), ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(accepted(await scan('tls13')), ['TLSv1.3']);
    assert.deepEqual(codes(await scan('tls13'), 'TLSv1.3'), ['1302', '1303']);
    assert.deepEqual(accepted(await scan('tls12')), ['TLSv1.2']);
  });

  it('finds RC4 and 3DES suites that Node cannot offer, with hand-built hellos (gnutls-serv)', async () => {
    const result = await scan('rc4');
    assert.deepEqual(accepted(result), ['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    const tls10 = result.protocols.find((entry) => entry.protocol === 'TLSv1');
    assert.equal(tls10?.via, 'hello', 'Node cannot negotiate RC4/3DES, the hand-built hello can');
    assert.deepEqual(new Set(codes(result, 'TLSv1')), new Set(['c011', 'c016', '0005', '0004', 'c012', 'c017', '000a']));
    assert.deepEqual(new Set(codes(result, 'TLSv1.2')), new Set(['c02f', '009c', 'c011', 'c016', '0005', '0004', 'c012', 'c017', '000a']));
  });

  it('finds anonymous and NULL suites', async () => {
    const found = codes(await scan('anonymous'), 'TLSv1.2');
    for (const code of ['00a7', 'c019', '0034', 'c015', '003b', '0002', '0001', '009c']) assert.ok(found.includes(code), `${code} in ${found.join(' ')}`);
  });

  it('finds SSLv2 cipher specs and SSLv3 EXPORT, DES, IDEA and RC2 suites', async () => {
    const result = await scan('sslHello');
    assert.deepEqual(accepted(result), ['SSLv2', 'SSLv3', 'TLSv1']);
    assert.deepEqual(codes(result, 'SSLv2'), ['0700c0', '020080', '010080', '060040']);
    assert.deepEqual(codes(result, 'SSLv3'), ['0003', '0006', '0008', '0009', '0007', '0005', '000a']);
    assert.equal(result.protocols.find((entry) => entry.protocol === 'SSLv3')?.suites[0]?.name, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5');
  });

  it('gives both evidence kinds from one scan when the gatherers share a key', async () => {
    const key = {};
    const options = { resolver, allowPrivate: true, timeoutMs: 2000, shareKey: key };
    const [protocols, ciphers] = await Promise.all([
      gatherProtocolsEvidence(fixtures.sites.tls12.domain, options),
      gatherCiphersEvidence(fixtures.sites.tls12.domain, options),
    ]);
    assert.equal(protocols.kind, 'tls.protocols');
    assert.equal(ciphers.kind, 'tls.ciphers');
    protocolsEvidenceSchema.parse(protocols.data);
    ciphersEvidenceSchema.parse(ciphers.data);
    assert.equal(protocols.data.durationMs, ciphers.data.durationMs, 'the same scan');
    assert.equal(protocols.data.handshakes, ciphers.data.handshakes);
    assert.deepEqual(ciphers.data.protocols.find((entry) => entry.protocol === 'TLSv1.2')?.suites, [
      { code: 'c030', name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
      { code: 'c02f', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
    ]);
  });

  it('turns silent, noisy and dripping servers into reasons within the time limit', async () => {
    for (const [name, error] of [['silent', 'timeout'], ['garbage', 'handshake_failed'], ['trickle', 'timeout']] as const) {
      const started = Date.now();
      const result = await scan(name, 400);
      assert.equal(result.error, error, `${name}: ${result.error} ${result.errorDetail}`);
      assert.ok(Date.now() - started < 1500, `${name} took ${Date.now() - started} ms`);
      assert.ok(result.protocols.every((entry) => entry.accepted !== true));
    }
  });

  it('refuses private targets unless allowed and reports DNS and connection failures', async () => {
    const refused = await scanTls(fixtures.sites.modern.domain, { resolver, allowPrivate: false, timeoutMs: 1000 });
    assert.equal(refused.error, 'target_refused');
    assert.equal(refused.handshakes, 0);
    assert.deepEqual(refused.refusedAddresses, [fixtures.sites.modern.address]);
    const unknown = await scanTls('nothing-here.tls-fixture.test', { resolver, allowPrivate: true, timeoutMs: 1000 });
    assert.equal(unknown.error, 'no_address');
    const closed = await scanTls(fixtures.refusedDomain, { resolver, allowPrivate: true, timeoutMs: 1000 });
    assert.equal(closed.error, 'connection_refused');
  });
});
