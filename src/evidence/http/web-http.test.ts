// The web gatherer against real servers: fixture sites (127.0.2.101–) and hostile ones (127.0.2.216–).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FixtureDnsServer, startDnsServer } from '../../../test/fixtures/dns-server.ts';
import { type HostileServers, hostileKinds, startHostileServers } from '../../../test/fixtures/hostile-http.ts';
import { startWebSites, type WebSites } from '../../../test/fixtures/web-sites.ts';
import { createResolver } from '../../net/resolver.ts';
import { gatherWebHttpEvidence } from './web-http.ts';
import { corsProbeOrigin, webHttpEvidenceSchema } from './web-http-evidence.ts';

describe('gatherWebHttpEvidence', () => {
  let web: WebSites;
  let hostile: HostileServers;
  let hostileDns: FixtureDnsServer;
  const gather = (domain: string, extra: { allowPrivate?: boolean; timeoutMs?: number } = {}) =>
    gatherWebHttpEvidence(domain, { resolver: createResolver(web.resolver, 1000), allowPrivate: extra.allowPrivate ?? true, timeoutMs: extra.timeoutMs ?? 1500, extraCa: [web.caPem] });

  before(async () => {
    web = await startWebSites({ firstHost: 101, only: ['best', 'bare', 'selfSigned', 'notHtml', 'redirectLoop'] });
    hostile = await startHostileServers({ firstHost: 216 });
    hostileDns = await startDnsServer(new Map(hostileKinds.map((kind) => [`${kind.toLowerCase()}.hostile.test`, { a: [hostile.addresses[kind]] }])));
  });
  after(async () => {
    await web.close();
    await hostile.close();
    await hostileDns.close();
  });

  it('fetches both home pages, robots.txt and a preflight, and reads the page', async () => {
    const evidence = await gather(web.sites.best.domain);
    assert.equal(evidence.kind, 'web.http');
    const data = webHttpEvidenceSchema.parse(evidence.data);
    const domain = web.sites.best.domain;
    assert.deepEqual(data.http.hops.map((hop) => [hop.url, hop.status]), [
      [`http://${domain}/`, 301],
      [`https://${domain}/`, 200],
    ]);
    assert.equal(data.https.hops.length, 1);
    assert.equal(data.https.hops[0]?.tls?.verified, true);
    assert.ok(data.https.hops[0]?.headers.some(([name, value]) => name === 'content-security-policy' && value.startsWith("default-src 'none'")));
    assert.equal(data.robots?.hops[0]?.status, 200);
    assert.equal(data.cors?.hops[0]?.method, 'OPTIONS');
    assert.equal(data.corsOrigin, corsProbeOrigin);
    assert.equal(data.page?.scheme, 'https');
    assert.deepEqual(data.page?.html?.scripts.map((script) => script.resolvedSrc), ['https://cdn.example.com/lib.js', '/app.js']);
    assert.ok(JSON.stringify(data).length < 20_000, 'evidence stays small');
  });

  it('takes the plain HTTP page when HTTPS does not answer', async () => {
    const data = (await gather(web.sites.bare.domain)).data;
    assert.equal(data.https.error, 'connection_refused');
    assert.equal(data.page?.scheme, 'http');
    assert.equal(data.page?.html?.scriptCount, 1);
    assert.equal(data.robots?.url, `http://${web.sites.bare.domain}/robots.txt`);
  });

  it('records an untrusted certificate, and then sends the preflight where the Observatory does', async () => {
    const data = (await gather(web.sites.selfSigned.domain)).data;
    assert.equal(data.https.hops[0]?.tls?.verified, false);
    assert.equal(data.https.hops[0]?.tls?.verifyError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(data.cors?.url, `https://${web.sites.selfSigned.domain}/robots.txt`);
  });

  it('keeps no page facts for other content types', async () => {
    const data = (await gather(web.sites.notHtml.domain)).data;
    assert.equal(data.page?.contentType, 'application/json');
    assert.equal(data.page?.html, null);
  });

  it('survives a redirect loop with the answers it got', async () => {
    const data = (await gather(web.sites.redirectLoop.domain)).data;
    assert.equal(data.https.error, 'redirect_loop');
    assert.equal(data.https.hops[0]?.status, 302);
    assert.equal(data.page?.status, 302);
  });

  it('refuses loopback sites unless private targets are allowed', async () => {
    const data = (await gather(web.sites.best.domain, { allowPrivate: false })).data;
    assert.equal(data.http.error, 'target_refused');
    assert.equal(data.https.error, 'target_refused');
    assert.equal(data.page, null);
    assert.equal(data.robots, null);
  });

  it('gives valid, bounded evidence for every hostile server within the time limit', async () => {
    for (const kind of hostileKinds) {
      const started = Date.now();
      const evidence = await gatherWebHttpEvidence(`${kind.toLowerCase()}.hostile.test`, {
        resolver: createResolver(hostileDns.address, 1000),
        allowPrivate: true,
        timeoutMs: 500,
      });
      const took = Date.now() - started;
      assert.ok(took < 4000, `${kind} took ${took} ms`);
      const data = webHttpEvidenceSchema.parse(evidence.data);
      assert.ok(JSON.stringify(data).length < 100_000, `${kind} evidence is bounded`);
    }
  });
});
