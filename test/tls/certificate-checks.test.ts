// Certificate chain, key and signature checks against real fixture servers (test PKI with an
// intermediate CA; the root is trusted through extraCa).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { judgeAll } from '../../src/checks/registry.ts';
import { gatherCertificateEvidence } from '../../src/evidence/tls/certificate.ts';
import { createResolver, type Resolver } from '../../src/net/resolver.ts';
import { type TlsFixtureName, type TlsFixtures, startTlsFixtures } from '../fixtures/tls-servers.ts';

describe('certificate checks against the TLS fixture servers', () => {
  let fixtures: TlsFixtures;
  let resolver: Resolver;
  let intermediatePem: string;

  const judge = async (name: TlsFixtureName, checkId: string, extraCa = [fixtures.rootPem]) => {
    const evidence = await gatherCertificateEvidence(fixtures.sites[name].domain, { resolver, allowPrivate: true, timeoutMs: 2000, extraCa });
    const result = judgeAll([evidence], new Date()).find((candidate) => candidate.checkId === checkId);
    assert.ok(result, `${checkId} judged ${name}`);
    return { result, evidence: evidence.data };
  };

  before(async () => {
    fixtures = await startTlsFixtures();
    resolver = createResolver(fixtures.resolver, 1000);
    intermediatePem = fixtures.intermediatePem;
  });
  after(() => fixtures.close());

  it('records the chain the server sent next to the chain that was verified', async () => {
    const { evidence } = await judge('modern', 'tls.certificate');
    assert.equal(evidence.tls?.chainTrusted, true);
    assert.deepEqual(evidence.tls?.chain.map((link) => link.subject), ['CN=modern.tls-fixture.test', 'CN=Cybermonitor TLS Test Intermediate CA', 'CN=Cybermonitor TLS Test Root CA']);
    assert.deepEqual(evidence.tls?.sentChain?.map((link) => link.subject), ['CN=modern.tls-fixture.test', 'CN=Cybermonitor TLS Test Intermediate CA']);
    assert.deepEqual(evidence.tls?.chain.map((link) => link.selfSigned), [false, false, true]);
    assert.deepEqual(evidence.tls?.certificate.caIssuers, ['http://pki.tls-fixture.test/intermediate.crt']);
  });

  it('tls.certificate.chain: passes a complete chain, fails a server that sends only its leaf', async () => {
    const complete = await judge('modern', 'tls.certificate.chain');
    assert.equal(complete.result.status, 'pass');
    assert.deepEqual(complete.result.summaryParams, { count: 2 });
    const incomplete = await judge('noIntermediate', 'tls.certificate.chain');
    assert.equal(incomplete.result.status, 'fail');
    assert.equal(incomplete.result.summaryKey, 'checks.tls.certificate.chain.incomplete');
    assert.deepEqual(incomplete.result.summaryParams, { issuer: 'Cybermonitor TLS Test Intermediate CA' });
    // Also untrusted for tls.certificate, as a client without the intermediate sees it.
    assert.equal((await judge('noIntermediate', 'tls.certificate')).result.summaryKey, 'checks.tls.certificate.untrusted');
  });

  it('tls.certificate.chain: fails a missing intermediate even when the local store could fill the gap', async () => {
    const { result, evidence } = await judge('noIntermediate', 'tls.certificate.chain', [fixtures.rootPem, intermediatePem]);
    assert.equal(evidence.tls?.chainTrusted, true);
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.tls.certificate.chain.missing');
    assert.deepEqual(result.summaryParams, { missing: 'Cybermonitor TLS Test Intermediate CA' });
  });

  it('tls.certificate.key: passes EC 256 and RSA 2048, fails RSA 1024', async () => {
    assert.deepEqual((await judge('modern', 'tls.certificate.key')).result.summaryParams, { key: 'EC 256' });
    assert.equal((await judge('tls12', 'tls.certificate.key')).result.status, 'pass');
    const weak = await judge('rsa1024', 'tls.certificate.key');
    assert.equal(weak.result.status, 'fail');
    assert.equal(weak.result.summaryParams.keys, 'RSA 1024 (CN=rsa1024.tls-fixture.test)');
  });

  it('tls.certificate.signature: passes SHA-256, fails a SHA-1 signed certificate', async () => {
    assert.equal((await judge('modern', 'tls.certificate.signature')).result.status, 'pass');
    const sha1 = await judge('sha1', 'tls.certificate.signature');
    assert.equal(sha1.result.status, 'fail');
    assert.deepEqual(sha1.result.summaryParams, { algorithms: 'ecdsa-with-SHA1', certificates: 'CN=sha1.tls-fixture.test' });
  });
});
