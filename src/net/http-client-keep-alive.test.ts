// Kept-alive connections in the HTTP client: reused only for the same endpoint and only after a
// response that was read completely; never confused by a server that talks out of turn.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type FixtureDnsServer, startDnsServer } from '../../test/fixtures/dns-server.ts';
import { createTestCa } from '../../test/fixtures/test-pki.ts';
import { type FetchOptions, fetchChain } from './http-client.ts';
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
    const certificate = await ca.issue({ names: ['keep.web.test', 'other.web.test', 'close.web.test'] });
    dns = await startDnsServer(
      new Map([
        ['keep.web.test', { a: [secureAddress] }],
        ['other.web.test', { a: [secureAddress] }],
        ['close.web.test', { a: [secureAddress] }],
        ['plain.keep.test', { a: [plainAddress] }],
        ['chatty.keep.test', { a: [chattyAddress] }],
      ]),
    );
    const secure = createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
      if (request.url === '/close') response.setHeader('connection', 'close');
      if (request.url === '/big') return void response.end('x'.repeat(200_000));
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
