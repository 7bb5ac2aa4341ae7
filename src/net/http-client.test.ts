import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { type FixtureDnsServer, startDnsServer } from '../../test/fixtures/dns-server.ts';
import { type HostileServers, startHostileServers } from '../../test/fixtures/hostile-http.ts';
import { createTestCa, type TestCa } from '../../test/fixtures/test-pki.ts';
import { defaultUserAgent, type FetchOptions, fetchChain, headerValues } from './http-client.ts';
import { createResolver } from './resolver.ts';

// Addresses 127.0.2.230–239 for the friendly servers here; 127.0.2.200–229 for the hostile ones.
const plainAddress = '127.0.2.230';
const secureAddress = '127.0.2.231';
const hopAddress = '127.0.2.232';
const poolAddress = '127.0.2.233';
const encodingAddress = '127.0.2.234';
const closedAddress = '127.0.2.235';

interface Seen {
  host?: string;
  userAgent?: string;
  localAddress?: string;
  servername?: string | false | null;
  method?: string;
  origin?: string;
}

describe('fetchChain', () => {
  let dns: FixtureDnsServer;
  let ca: TestCa;
  let hostile: HostileServers;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const seen: Seen[] = [];
  let poolActive = 0;
  let poolPeak = 0;
  let base: FetchOptions;

  const record = (request: IncomingMessage) => {
    seen.push({
      host: request.headers.host,
      userAgent: request.headers['user-agent'],
      localAddress: request.socket.localAddress,
      servername: (request.socket as TLSSocket).servername,
      method: request.method,
      origin: request.headers.origin,
    });
  };

  async function listen(server: Server, address: string, port: number): Promise<void> {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    servers.push(server);
  }

  const page = '<!doctype html><p>Bakkerij Jansen – verse broodjes</p>';
  const encodings: Record<string, (response: ServerResponse) => void> = {
    '/gzip': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(page)),
    '/deflate': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' }).end(deflateSync(page)),
    '/raw-deflate': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' }).end(deflateRawSync(page)),
    '/br': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' }).end(brotliCompressSync(page)),
    '/double': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip, br' }).end(brotliCompressSync(gzipSync(page))),
    '/latin1': (r) => r.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from('caf\xe9', 'latin1')),
    '/unknown': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'compress' }).end('xyz'),
    '/broken-gzip': (r) => r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all')),
    '/big': (r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('b'.repeat(3 * 1024 * 1024)),
  };

  before(async () => {
    ca = await createTestCa();
    const certificate = await ca.issue({ names: ['secure.web.test'] });
    dns = await startDnsServer(
      new Map([
        ['plain.web.test', { a: [plainAddress] }],
        ['secure.web.test', { a: [secureAddress] }],
        ['hop.web.test', { a: [hopAddress] }],
        ['pool.web.test', { a: [poolAddress] }],
        ['encoding.web.test', { a: [encodingAddress] }],
        ['failover.web.test', { a: [closedAddress, plainAddress] }],
        ['unspecified.web.test', { a: ['0.0.0.0'] }],
        ['to-unspecified.web.test', { a: [hopAddress] }],
      ]),
    );
    hostile = await startHostileServers({ firstHost: 200 });

    await listen(
      createHttpServer((request, response) => {
        record(request);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': ['a=1', 'b=2'], 'x-one': 'first' });
        response.end(page);
      }),
      plainAddress,
      80,
    );
    await listen(
      createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
        record(request);
        response.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
        response.end(request.method === 'HEAD' ? undefined : `landed on ${request.url}`);
      }),
      secureAddress,
      443,
    );
    await listen(
      createHttpServer((request, response) => {
        record(request);
        if (request.headers.host === 'to-unspecified.web.test') {
          response.writeHead(302, { location: 'http://unspecified.web.test/' }).end();
        } else if (request.url === '/see-other') {
          response.writeHead(303, { location: 'https://secure.web.test/after-303' }).end();
        } else {
          response.writeHead(301, { location: 'https://secure.web.test/landing?x=1' }).end('moved');
        }
      }),
      hopAddress,
      80,
    );
    await listen(
      createHttpServer((request, response) => {
        poolActive += 1;
        poolPeak = Math.max(poolPeak, poolActive);
        setTimeout(() => {
          poolActive -= 1;
          response.end('done');
        }, 60);
      }),
      poolAddress,
      80,
    );
    await listen(
      createHttpServer((request, response) => {
        const handler = encodings[request.url ?? ''];
        if (handler) handler(response);
        else response.writeHead(404).end();
      }),
      encodingAddress,
      80,
    );
    base = { resolver: createResolver(dns.address, 1000), allowPrivate: true, timeoutMs: 500, extraCa: [ca.certPem] };
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await hostile.close();
    await dns.close();
  });

  it('fetches a page from the approved address with Host, User-Agent and every header kept', async () => {
    seen.length = 0;
    const result = await fetchChain('http://plain.web.test/', base);
    assert.equal(result.error, undefined);
    assert.equal(result.hops.length, 1);
    const final = result.final;
    assert.ok(final);
    assert.equal(final.status, 200);
    assert.equal(final.address, plainAddress);
    assert.equal(final.url, 'http://plain.web.test/');
    assert.equal(final.body, page);
    assert.equal(final.bodyTruncated, false);
    assert.equal(final.tls, null);
    assert.deepEqual(headerValues(final, 'Set-Cookie'), ['a=1', 'b=2']);
    assert.deepEqual(headerValues(final, 'x-one'), ['first']);
    assert.ok(final.headers.every(([name]) => name === name.toLowerCase()));
    assert.equal(seen[0]?.host, 'plain.web.test');
    assert.equal(seen[0]?.localAddress, plainAddress);
    assert.match(seen[0]?.userAgent ?? '', /^Cybermonitor\/\d+\.\d+\.\d+ \(\+https?:\/\/\S+\)$/);
    assert.equal(seen[0]?.userAgent, defaultUserAgent);
  });

  it('follows a redirect to HTTPS on another host, records each hop and sends SNI', async () => {
    seen.length = 0;
    const result = await fetchChain('http://hop.web.test/', base);
    assert.equal(result.error, undefined);
    assert.deepEqual(
      result.hops.map((hop) => [hop.url, hop.status, hop.address]),
      [
        ['http://hop.web.test/', 301, hopAddress],
        ['https://secure.web.test/landing?x=1', 200, secureAddress],
      ],
    );
    assert.equal(result.hops[0]?.body, undefined, 'redirect bodies are not read');
    assert.equal(result.final?.body, 'landed on /landing?x=1');
    assert.deepEqual(result.final?.tls && { verified: result.final.tls.verified, verifyError: result.final.tls.verifyError }, { verified: true, verifyError: null });
    assert.equal(seen[1]?.servername, 'secure.web.test');
    assert.equal(seen[1]?.host, 'secure.web.test');
  });

  it('fetches from a server it does not trust, and says so', async () => {
    const result = await fetchChain('https://secure.web.test/', { ...base, extraCa: [] });
    assert.equal(result.final?.status, 200);
    assert.equal(result.final?.tls?.verified, false);
    assert.match(result.final?.tls?.verifyError ?? '', /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('reports a name mismatch as not verified', async () => {
    const result = await fetchChain(`https://${secureAddress}/`, base);
    assert.equal(result.final?.status, 200);
    assert.equal(result.final?.tls?.verified, false);
    assert.equal(result.final?.tls?.verifyError, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('turns a 303 into GET and keeps HEAD and OPTIONS otherwise', async () => {
    seen.length = 0;
    const options = await fetchChain('http://hop.web.test/', { ...base, method: 'OPTIONS', headers: { Origin: 'https://elders.example' } });
    assert.deepEqual(seen.map((request) => request.method), ['OPTIONS', 'OPTIONS']);
    assert.equal(seen[1]?.origin, 'https://elders.example');
    assert.equal(options.final?.method, 'OPTIONS');
    seen.length = 0;
    const seeOther = await fetchChain('http://hop.web.test/see-other', { ...base, method: 'OPTIONS' });
    assert.deepEqual(seen.map((request) => request.method), ['OPTIONS', 'GET']);
    assert.equal(seeOther.final?.url, 'https://secure.web.test/after-303');
    const headOnly = await fetchChain('https://secure.web.test/', { ...base, method: 'HEAD' });
    assert.equal(headOnly.final?.body, undefined);
  });

  it('stops after maxRedirects', async () => {
    const single = await fetchChain('http://hop.web.test/', { ...base, maxRedirects: 0 });
    assert.equal(single.error, 'too_many_redirects');
    assert.equal(single.hops.length, 1);
    const forever = await fetchChain(hostile.urls.redirectForever, base);
    assert.equal(forever.error, 'too_many_redirects');
    assert.equal(forever.hops.length, 11);
  });

  it('detects a redirect loop', async () => {
    const result = await fetchChain(hostile.urls.redirectLoop, base);
    assert.equal(result.error, 'redirect_loop');
    assert.equal(result.hops.length, 1);
  });

  it('refuses to connect to addresses outside the policy, before connecting', async () => {
    seen.length = 0;
    const privateRefused = await fetchChain('http://plain.web.test/', { ...base, allowPrivate: false });
    assert.equal(privateRefused.error, 'target_refused');
    assert.deepEqual(privateRefused.refusedAddresses, [plainAddress]);
    assert.equal(seen.length, 0, 'no request reached the server');
    const unspecified = await fetchChain('http://unspecified.web.test/', base);
    assert.equal(unspecified.error, 'target_refused');
    const literal = await fetchChain('http://10.0.0.1/', { ...base, allowPrivate: false });
    assert.equal(literal.error, 'target_refused');
  });

  it('does not follow redirects to refused addresses', async () => {
    const viaName = await fetchChain('http://to-unspecified.web.test/', base);
    assert.equal(viaName.error, 'target_refused');
    assert.equal(viaName.hops.length, 1);
    assert.equal(viaName.errorUrl, 'http://unspecified.web.test/');
    const viaLiteral = await fetchChain(hostile.urls.redirectToRefused, base);
    assert.equal(viaLiteral.error, 'target_refused');
    assert.equal(viaLiteral.hops.length, 1);
  });

  it('answers DNS and URL problems with reasons', async () => {
    assert.equal((await fetchChain('http://nope.web.test/', base)).error, 'no_address');
    assert.equal((await fetchChain('ftp://plain.web.test/', base)).error, 'invalid_url');
    assert.equal((await fetchChain('not a url', base)).error, 'invalid_url');
    assert.equal((await fetchChain(`http://${closedAddress}/`, base)).error, 'connection_refused');
  });

  it('tries the next address when the first one refuses', async () => {
    const result = await fetchChain('http://failover.web.test/', base);
    assert.equal(result.final?.address, plainAddress);
  });

  it('decodes gzip, zlib and raw deflate, brotli, stacked codings and legacy charsets', async () => {
    for (const path of ['/gzip', '/deflate', '/raw-deflate', '/br', '/double']) {
      const result = await fetchChain(`http://encoding.web.test${path}`, base);
      assert.equal(result.final?.body, page, path);
      assert.equal(result.final?.bodyTruncated, false, path);
    }
    assert.equal((await fetchChain('http://encoding.web.test/latin1', base)).final?.body, 'café');
    const unknown = (await fetchChain('http://encoding.web.test/unknown', base)).final;
    assert.equal(unknown?.bodyProblem, 'unsupported_encoding');
    assert.equal(unknown?.body, '');
    const broken = (await fetchChain('http://encoding.web.test/broken-gzip', base)).final;
    assert.equal(broken?.bodyProblem, 'decoding_failed');
    assert.equal(broken?.bodyTruncated, true);
  });

  it('caps the body', async () => {
    const result = await fetchChain('http://encoding.web.test/big', { ...base, maxBodyBytes: 100_000 });
    assert.equal(result.final?.body?.length, 100_000);
    assert.equal(result.final?.bodyTruncated, true);
    assert.equal(result.final?.bodyProblem, 'too_large');
    const defaultCap = await fetchChain('http://encoding.web.test/big', base);
    assert.equal(defaultCap.final?.body?.length, 2 * 1024 * 1024);
  });

  it('sends at most two requests at a time to one host', async () => {
    poolPeak = 0;
    const results = await Promise.all(Array.from({ length: 6 }, () => fetchChain('http://pool.web.test/', base)));
    assert.ok(results.every((result) => result.final?.body === 'done'));
    assert.equal(poolPeak, 2);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = fetchChain(hostile.urls.silent, { ...base, timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    assert.equal((await pending).error, 'aborted');
    assert.ok(Date.now() - started < 1000);
  });

  describe('against hostile servers', () => {
    const limit = 1500; // timeoutMs 500: connect + headers, the whole exchange bounded by 1000 ms

    async function timed(url: string, extra: Partial<FetchOptions> = {}) {
      const started = Date.now();
      const result = await fetchChain(url, { ...base, ...extra });
      const took = Date.now() - started;
      assert.ok(took < limit, `${url} took ${took} ms`);
      return result;
    }

    it('never-ending body: truncated at the cap', async () => {
      const result = await timed(hostile.urls.endlessBody);
      assert.equal(result.final?.status, 200);
      assert.equal(result.final?.bodyTruncated, true);
      assert.equal(result.final?.bodyProblem, 'too_large');
      assert.equal(result.final?.body?.length, 2 * 1024 * 1024);
    });

    it('body that trickles forever: cut off at the deadline', async () => {
      const result = await timed(hostile.urls.slowBody);
      assert.equal(result.final?.bodyTruncated, true);
      assert.equal(result.final?.bodyProblem, 'timeout');
      assert.ok((result.final?.body?.length ?? 0) > 0);
    });

    it('headers trickled byte by byte: timeout', async () => {
      const result = await timed(hostile.urls.trickledHeaders);
      assert.equal(result.error, 'timeout');
      assert.equal(result.errorDetail, 'headers');
    });

    it('a 1 MB header line: headers too large', async () => {
      const result = await timed(hostile.urls.hugeHeader);
      assert.equal(result.error, 'headers_too_large');
    });

    it('garbage instead of a TLS handshake: tls_failed', async () => {
      const result = await timed(hostile.urls.garbageTls);
      assert.equal(result.error, 'tls_failed');
    });

    it('invalid UTF-8: decoded with replacement characters', async () => {
      const result = await timed(hostile.urls.invalidUtf8);
      assert.equal(result.final?.body, '<p>caf\ufffd\ufffd\ufffd\ufffd ok</p>');
    });

    it('a gzip bomb: decoding stops at the cap', async () => {
      const before = process.memoryUsage().rss;
      const result = await timed(hostile.urls.gzipBomb);
      assert.equal(result.final?.bodyTruncated, true);
      assert.equal(result.final?.bodyProblem, 'too_large');
      assert.equal(result.final?.body?.length, 2 * 1024 * 1024);
      assert.ok(hostile.gzipBombInflatedBytes > 500 * 1024 * 1024);
      assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stayed bounded');
    });

    it('a server that never answers: timeout', async () => {
      const result = await timed(hostile.urls.silent);
      assert.equal(result.error, 'timeout');
      assert.equal(result.errorDetail, 'headers');
    });

    it('a TLS port that never answers: one timeout, the requests queued behind it fail at once', async () => {
      const started = Date.now();
      const results = await Promise.all([1, 2, 3, 4].map(() => fetchChain(hostile.urls.silentTls, base)));
      assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
      assert.deepEqual(results.map((result) => result.error), ['timeout', 'timeout', 'timeout', 'timeout']);
      assert.deepEqual(results.map((result) => result.errorDetail).sort(), ['tls_handshake', 'tls_handshake', 'tls_handshake (recent)', 'tls_handshake (recent)']);
    });

    it('a server that hangs up mid-headers: an error, not a crash', async () => {
      const result = await timed(hostile.urls.closesEarly);
      assert.ok(result.error === 'protocol_error' || result.error === 'no_response', result.error);
    });
  });
});
