// Kept-alive connections in the HTTP client: reused only for the same endpoint and only after a
// response that was read completely; never confused by a server that talks out of turn.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type FixtureDnsServer, startDnsServer } from '../../test/fixtures/dns-server.ts';
import { createTestCa } from '../../test/fixtures/test-pki.ts';
import { type FetchOptions, fetchChain, sharedFetchesFor } from './http-client.ts';
import { createResolver } from './resolver.ts';

// 127.0.2.236–239: free in the HTTP client's range (http-client.test.ts uses .200–.235).
const secureAddress = '127.0.2.236';
const plainAddress = '127.0.2.237';
const chattyAddress = '127.0.2.238';

describe('fetchChain keeps connections alive', () => {
  let dns: FixtureDnsServer;
  let base: FetchOptions;
  const servers: Array<Server | NetServer> = [];
  const sockets = new Set<Socket>();
  /** Connections each server accepted, by address. */
  const accepted = new Map<string, number>();

  function track(server: Server | NetServer, address: string): void {
    server.on('connection', (socket: Socket) => {
      accepted.set(address, (accepted.get(address) ?? 0) + 1);
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
  }
  const listen = (server: Server | NetServer, address: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      track(server, address);
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });

  before(async () => {
    const ca = await createTestCa();
    const certificate = await ca.issue({ names: ['keep.web.test', 'other.web.test', 'close.web.test', 'drain.web.test'] });
    dns = await startDnsServer(
      new Map([
        ['keep.web.test', { a: [secureAddress] }],
        ['other.web.test', { a: [secureAddress] }],
        ['close.web.test', { a: [secureAddress] }],
        ['drain.web.test', { a: [secureAddress] }],
        ['plain.keep.test', { a: [plainAddress] }],
        ['chatty.keep.test', { a: [chattyAddress] }],
      ]),
    );
    const secure = createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
      if (request.url === '/close') response.setHeader('connection', 'close');
      if (request.url === '/big') return void response.end('x'.repeat(200_000));
      if (request.url === '/moved') return void response.writeHead(302, { location: '/a' }).end('<p>moved to /a</p>');
      if (request.url === '/moved-big') return void response.writeHead(302, { location: '/a' }).end('m'.repeat(100_000));
      if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': '7' }).end();
      if (request.method === 'OPTIONS') return void response.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      response.end(`page ${request.url}`);
    });
    await listen(secure, secureAddress, 443);
    // Closes every kept-alive connection almost at once: the client must notice or retry.
    const plain = createHttpServer((request, response) => response.end(`plain ${request.url}`));
    plain.keepAliveTimeout = 1;
    await listen(plain, plainAddress, 80);
    // Answers, then sends a second, unasked-for response on the idle connection.
    const chatty = createNetServer((socket) => {
      let buffered = '';
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
          const path = buffered.split(' ')[1] ?? '?';
          buffered = buffered.slice(end + 4);
          if (path === '/promise') return void socket.write('HTTP/1.1 302 Found\r\nlocation: /elsewhere\r\ncontent-length: 100\r\n\r\n');
          const body = `chatty ${path}`;
          socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
          setTimeout(() => socket.writable && socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nEVIL!'), 30);
        }
      });
    });
    await listen(chatty, chattyAddress, 80);
    base = { resolver: createResolver(dns.address, 1000), allowPrivate: true, timeoutMs: 1000, extraCa: [ca.certPem] };
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await dns.close();
  });

  it('sends one host several requests over one TLS connection, each with its TLS details', async () => {
    accepted.delete(secureAddress);
    for (const path of ['/a', '/b', '/c']) {
      const result = await fetchChain(`https://keep.web.test${path}`, base);
      assert.equal(result.final?.body, `page ${path}`);
      assert.equal(result.final?.tls?.verified, true);
    }
    assert.equal(accepted.get(secureAddress), 1);
  });

  it('never shares a connection between host names on the same address', async () => {
    accepted.delete(secureAddress);
    const first = await fetchChain('https://other.web.test/x', base);
    const second = await fetchChain('https://other.web.test/y', base);
    assert.equal(first.final?.body, 'page /x');
    assert.equal(second.final?.body, 'page /y');
    assert.equal(accepted.get(secureAddress), 1, 'other.web.test gets its own connection, then reuses it');
  });

  it('closes a connection after Connection: close or a body cut off at the cap', async () => {
    accepted.delete(secureAddress);
    const closing = await fetchChain('https://close.web.test/close', base);
    assert.equal(closing.final?.body, 'page /close');
    const capped = await fetchChain('https://close.web.test/big', { ...base, maxBodyBytes: 1000 });
    assert.equal(capped.final?.bodyProblem, 'too_large');
    const later = await fetchChain('https://close.web.test/after', base);
    assert.equal(later.final?.body, 'page /after');
    assert.equal(accepted.get(secureAddress), 3, 'the server closed the first, the cap cut off the second');
  });

  it('lets a small unread body through (redirect, preflight, HEAD) and keeps the connection; drops it after a large one', async () => {
    accepted.delete(secureAddress);
    const redirect = await fetchChain('https://drain.web.test/moved', { ...base, maxRedirects: 0 });
    assert.equal(redirect.hops.at(-1)?.status, 302);
    assert.equal(redirect.hops.at(-1)?.body, undefined);
    const preflight = await fetchChain('https://drain.web.test/', { ...base, method: 'OPTIONS', readBody: false });
    assert.equal(preflight.final?.status, 204);
    const head = await fetchChain('https://drain.web.test/a', { ...base, method: 'HEAD' });
    assert.equal(head.final?.status, 200);
    const followed = await fetchChain('https://drain.web.test/moved', base);
    assert.equal(followed.final?.body, 'page /a');
    assert.equal(accepted.get(secureAddress), 1);
    await fetchChain('https://drain.web.test/moved-big', { ...base, maxRedirects: 0 });
    await fetchChain('https://drain.web.test/a', base);
    assert.equal(accepted.get(secureAddress), 2);
  });

  it('does not wait for a declared body that never comes', async () => {
    accepted.delete(chattyAddress);
    const started = Date.now();
    const result = await fetchChain('http://chatty.keep.test/promise', { ...base, maxRedirects: 0 });
    assert.equal(result.hops.at(-1)?.status, 302);
    assert.ok(Date.now() - started < 600, `took ${Date.now() - started} ms`);
    const next = await fetchChain('http://chatty.keep.test/after', base);
    assert.equal(next.final?.body, 'chatty /after');
    assert.equal(accepted.get(chattyAddress), 2);
  });

  it('retries on a fresh connection when the server closed the kept one', async () => {
    for (const path of ['/1', '/2', '/3']) {
      const result = await fetchChain(`http://plain.keep.test${path}`, base);
      assert.equal(result.final?.body, `plain ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('drops a connection on which the server sent bytes nobody asked for', async () => {
    accepted.delete(chattyAddress);
    const first = await fetchChain('http://chatty.keep.test/one', base);
    assert.equal(first.final?.body, 'chatty /one');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = await fetchChain('http://chatty.keep.test/two', base);
    assert.equal(second.final?.body, 'chatty /two');
    assert.equal(accepted.get(chattyAddress), 2);
  });
});

describe('fetchChain shares identical requests of one scope', () => {
  let dns: FixtureDnsServer;
  let server: Server;
  let base: FetchOptions;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  // 127.0.2.239: free in the HTTP client's range.
  const address = '127.0.2.239';

  before(async () => {
    dns = await startDnsServer(new Map([['shared.keep.test', { a: [address] }]]));
    server = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url} ${request.headers.accept ?? ''}`);
      if (request.url === '/slow') return void setTimeout(() => response.end('slow'), 50);
      if (request.url === '/hop') return void response.writeHead(302, { location: '/page' }).end();
      response.end(`page ${request.url}`);
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(80, address, () => resolve()));
    base = { resolver: createResolver(dns.address, 1000), allowPrivate: true, timeoutMs: 1000 };
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dns.close();
  });

  it('asks once for the same page, in flight or later, redirect hops included', async () => {
    requests.length = 0;
    const shared = sharedFetchesFor({});
    const [first, second] = await Promise.all([fetchChain('http://shared.keep.test/slow', { ...base, shared }), fetchChain('http://shared.keep.test/slow', { ...base, shared })]);
    assert.equal(first.final?.body, 'slow');
    assert.equal(second.final?.body, 'slow');
    const viaHop = await fetchChain('http://shared.keep.test/hop', { ...base, shared });
    const direct = await fetchChain('http://shared.keep.test/page', { ...base, shared });
    assert.equal(viaHop.final?.body, 'page /page');
    assert.equal(direct.final?.body, 'page /page');
    assert.deepEqual(requests, ['GET /slow text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'GET /hop text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'GET /page text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']);
  });

  it('asks again for other headers, another cap, another scope or without sharing', async () => {
    requests.length = 0;
    const shared = sharedFetchesFor({});
    await fetchChain('http://shared.keep.test/page', { ...base, shared });
    await fetchChain('http://shared.keep.test/page', { ...base, shared, headers: { accept: 'text/plain' } });
    await fetchChain('http://shared.keep.test/page', { ...base, shared, maxBodyBytes: 10 });
    await fetchChain('http://shared.keep.test/page', { ...base, shared: sharedFetchesFor({}) });
    await fetchChain('http://shared.keep.test/page', base);
    assert.equal(requests.length, 5);
  });

  it('gives each caller its own copy', async () => {
    const shared = sharedFetchesFor({});
    const first = await fetchChain('http://shared.keep.test/copy', { ...base, shared });
    first.final?.headers.push(['x-added', 'by the caller']);
    const second = await fetchChain('http://shared.keep.test/copy', { ...base, shared });
    assert.equal(second.final?.headers.some(([name]) => name === 'x-added'), false);
  });
});
