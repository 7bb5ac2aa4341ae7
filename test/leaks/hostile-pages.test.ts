// The leak gatherers against hostile servers: an endless HTML body, invalid UTF-8, a redirect
// loop, a server that never answers. Each gives evidence (and a judgement) within its bounds.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { judgeAll } from '../../src/checks/registry.ts';
import { gatherHomePageEvidence } from '../../src/evidence/web-leaks/home-page.ts';
import { maxResources } from '../../src/evidence/web-leaks/page-facts.ts';
import { gatherSecurityTxtEvidence } from '../../src/evidence/web-leaks/security-txt.ts';
import { gatherSensitiveFilesEvidence } from '../../src/evidence/web-leaks/sensitive-files.ts';
import { createResolver } from '../../src/net/resolver.ts';
import { type FixtureDnsServer, startDnsServer } from '../fixtures/dns-server.ts';

const sites = {
  endless: '127.0.4.200',
  garbage: '127.0.4.201',
  loop: '127.0.4.202',
  silent: '127.0.4.203',
} as const;
const domain = (name: keyof typeof sites) => `${name}.hostile-leaks.test`;

describe('leak gatherers against hostile servers', () => {
  let dns: FixtureDnsServer;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();

  before(async () => {
    dns = await startDnsServer(new Map(Object.entries(sites).map(([name, address]) => [domain(name as keyof typeof sites), { a: [address] }])));
    const handlers: Record<keyof typeof sites, Parameters<typeof createServer>[1] | undefined> = {
      endless: (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        const chunk = '<img src="http://cdn.example/a.png">'.repeat(500);
        const write = () => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once('drain', write);
        };
        write();
      },
      garbage: (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', server: 'Apache/2.4.29 \u00ff\u00fe' });
        response.end(Buffer.from([0x3c, 0x68, 0x31, 0x3e, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x01, 0x3c, 0x2f]));
      },
      loop: (request, response) => {
        response.writeHead(302, { location: request.url === '/a' ? '/b' : '/a' }).end();
      },
      silent: undefined, // accepts connections and never answers
    };
    for (const [name, address] of Object.entries(sites) as Array<[keyof typeof sites, string]>) {
      const server = createServer(handlers[name] ?? (() => {}));
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => server.listen(80, address, resolve));
      servers.push(server);
    }
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await dns.close();
  });

  const options = (activeProbes = false) => ({ resolver: createResolver(dns.address, 1000), allowPrivate: true, timeoutMs: 500, activeProbes });

  it('caps an endless page and still judges it', async () => {
    const started = Date.now();
    const evidence = await gatherHomePageEvidence(domain('endless'), options());
    assert.ok(Date.now() - started < 3000);
    assert.equal(evidence.data.page?.resources.length, maxResources);
    assert.equal(evidence.data.page?.resourcesTruncated, true);
    const results = judgeAll([evidence], new Date());
    assert.equal(results.find((result) => result.checkId === 'web.mixed-content')?.summaryKey, 'checks.web.mixed-content.not_https');
  });

  it('takes invalid UTF-8 without breaking', async () => {
    const evidence = await gatherHomePageEvidence(domain('garbage'), options());
    assert.equal(evidence.data.status, 200);
    const results = judgeAll([evidence], new Date());
    assert.ok(results.every((result) => result.status !== 'error'), JSON.stringify(results.map((result) => [result.checkId, result.summaryKey])));
  });

  it('turns a redirect loop and a silent server into error results within the deadline', async () => {
    for (const name of ['loop', 'silent'] as const) {
      const started = Date.now();
      // As in a scan: one shared home-page fetch, so the silent site costs one deadline, not three.
      const shareKey = {};
      const [page, securityTxt, files] = await Promise.all([
        gatherHomePageEvidence(domain(name), { ...options(), shareKey }),
        gatherSecurityTxtEvidence(domain(name), { ...options(), shareKey }),
        gatherSensitiveFilesEvidence(domain(name), { ...options(true), shareKey }),
      ]);
      assert.ok(Date.now() - started < 1400, `${name} took ${Date.now() - started} ms`);
      const results = judgeAll([page, securityTxt, files], new Date());
      for (const checkId of ['web.banners', 'web.cms', 'web.mixed-content', 'web.sensitive-files']) {
        assert.equal(results.find((result) => result.checkId === checkId)?.status, 'error', `${name} ${checkId}`);
      }
      if (name === 'silent') assert.equal(securityTxt.data.wellKnown.error, page.data.error, 'security.txt is not asked of a site that does not answer');
    }
  });
});
