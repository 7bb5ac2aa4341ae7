// The TLS checks end to end: gather from real fixture servers, judge through the registry.
// Every check has a passing and a failing fixture.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { judgeAll } from '../../src/checks/registry.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import { gatherCiphersEvidence, gatherProtocolsEvidence } from '../../src/evidence/tls/tls-scan-gatherer.ts';
import { createResolver, type Resolver } from '../../src/net/resolver.ts';
import { type TlsFixtureName, type TlsFixtures, startTlsFixtures } from '../fixtures/tls-servers.ts';

describe('TLS protocol and cipher checks against the fixture servers', () => {
  let fixtures: TlsFixtures;
  let resolver: Resolver;
  const judged = new Map<TlsFixtureName, CheckResult[]>();

  const results = async (name: TlsFixtureName) => {
    const cached = judged.get(name);
    if (cached) return cached;
    const options = { resolver, allowPrivate: true, timeoutMs: 2000, shareKey: {} };
    const evidence = await Promise.all([gatherProtocolsEvidence(fixtures.sites[name].domain, options), gatherCiphersEvidence(fixtures.sites[name].domain, options)]);
    const judgedNow = judgeAll(evidence, new Date());
    judged.set(name, judgedNow);
    return judgedNow;
  };
  const verdict = async (name: TlsFixtureName, checkId: string) => {
    const result = (await results(name)).find((candidate) => candidate.checkId === checkId);
    assert.ok(result, `${checkId} judged ${name}`);
    return result;
  };
  const expect = async (checkId: string, cases: Array<[TlsFixtureName, string, string]>) => {
    for (const [name, status, summaryKey] of cases) {
      const result = await verdict(name, checkId);
      assert.equal(result.status, status, `${checkId} on ${name}: ${result.summaryKey} ${JSON.stringify(result.summaryParams)}`);
      assert.equal(result.summaryKey, summaryKey, `${checkId} on ${name}`);
    }
  };

  before(async () => {
    fixtures = await startTlsFixtures();
    resolver = createResolver(fixtures.resolver, 1000);
  });
  after(() => fixtures.close());

  it('tls.legacy-protocols: passes modern servers, notices TLS 1.2 only, fails TLS 1.0/1.1 and SSL', async () => {
    await expect('tls.legacy-protocols', [
      ['modern', 'pass', 'checks.tls.legacy-protocols.pass'],
      ['tls13', 'pass', 'checks.tls.legacy-protocols.pass'],
      ['tls12', 'notice', 'checks.tls.legacy-protocols.no_tls13'],
      ['legacy', 'fail', 'checks.tls.legacy-protocols.fail'],
      ['rc4', 'fail', 'checks.tls.legacy-protocols.fail'],
      ['sslHello', 'fail', 'checks.tls.legacy-protocols.fail'],
    ]);
    assert.equal((await verdict('legacy', 'tls.legacy-protocols')).summaryParams.protocols, 'TLS 1.0, TLS 1.1');
    const ssl = await verdict('sslHello', 'tls.legacy-protocols');
    assert.equal(ssl.severity, 'high');
    assert.equal(ssl.summaryParams.protocols, 'SSL 2, SSL 3, TLS 1.0');
  });

  it('tls.weak-ciphers: passes strong servers, fails NULL, anonymous, RC4, 3DES, EXPORT, DES, IDEA, RC2', async () => {
    await expect('tls.weak-ciphers', [
      ['modern', 'pass', 'checks.tls.weak-ciphers.pass'],
      ['legacy', 'pass', 'checks.tls.weak-ciphers.pass'],
      ['anonymous', 'fail', 'checks.tls.weak-ciphers.fail'],
      ['rc4', 'fail', 'checks.tls.weak-ciphers.fail'],
      ['sslHello', 'fail', 'checks.tls.weak-ciphers.fail'],
    ]);
    const anonymous = await verdict('anonymous', 'tls.weak-ciphers');
    assert.equal(anonymous.severity, 'critical');
    assert.equal(anonymous.summaryParams.categories, 'NULL, aNULL');
    assert.equal((await verdict('rc4', 'tls.weak-ciphers')).summaryParams.categories, 'aNULL, RC4, 3DES');
    assert.equal((await verdict('sslHello', 'tls.weak-ciphers')).summaryParams.categories, 'EXPORT, RC4, DES, RC2, 3DES, IDEA');
  });

  it('tls.forward-secrecy: passes ECDHE-only, warns on mixed, fails RSA key exchange only', async () => {
    await expect('tls.forward-secrecy', [
      ['modern', 'pass', 'checks.tls.forward-secrecy.pass'],
      ['tls13', 'pass', 'checks.tls.forward-secrecy.pass'],
      ['legacy', 'warn', 'checks.tls.forward-secrecy.partial'],
      ['noForwardSecrecy', 'fail', 'checks.tls.forward-secrecy.none'],
    ]);
  });

  it('tls.ncsc: good, sufficient, phase out and insufficient fixtures', async () => {
    await expect('tls.ncsc', [
      ['tls13', 'pass', 'checks.tls.ncsc.good'],
      ['modern', 'pass', 'checks.tls.ncsc.sufficient'],
      ['tls12', 'pass', 'checks.tls.ncsc.sufficient'],
      ['phaseOut', 'warn', 'checks.tls.ncsc.phase_out'],
      ['legacy', 'fail', 'checks.tls.ncsc.insufficient'],
      ['noForwardSecrecy', 'fail', 'checks.tls.ncsc.insufficient'],
      ['rc4', 'fail', 'checks.tls.ncsc.insufficient'],
    ]);
    assert.equal((await verdict('phaseOut', 'tls.ncsc')).summaryParams.items, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384');
  });

  it('reports a server that refuses connections as an error for every check', async () => {
    const options = { resolver, allowPrivate: true, timeoutMs: 1000, shareKey: {} };
    const evidence = await Promise.all([gatherProtocolsEvidence(fixtures.refusedDomain, options), gatherCiphersEvidence(fixtures.refusedDomain, options)]);
    const outcomes = judgeAll(evidence, new Date());
    assert.deepEqual([...new Set(outcomes.map((result) => `${result.status} ${result.summaryKey}`))], ['error checks.reason.connection_refused']);
    assert.equal(outcomes.length, 4);
  });
});
