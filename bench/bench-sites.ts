// Many realistic fixture web sites for benchmarks: each on its own loopback address
// (127.0.6.1 … 127.0.7.254) with HTTPS on 443 (TLS 1.2/1.3, a test-CA certificate, good
// headers, a small home page) and plain HTTP on 80 redirecting to HTTPS; names served by a
// local DNS server. Only loopback, as every benchmark must.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsServer, type DnsRecords } from '../test/fixtures/dns-server.ts';
import { createTestCa } from '../test/fixtures/test-pki.ts';

export interface BenchSites {
  resolver: string;
  caPem: string;
  caFile: string;
  sites: { domain: string; address: string }[];
  close(): Promise<void>;
}

const zoneName = 'bench.test';
const homePage = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Bakkerij</title>
<link rel="stylesheet" href="/style.css"></head><body><h1>Vers brood</h1><p>${'Lekker brood uit de Achterhoek. '.repeat(40)}</p>
<script src="/app.js"></script></body></html>`;
const headers = {
  'content-type': 'text/html; charset=utf-8',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  server: 'nginx',
};

export const addressOf = (index: number): string => `127.0.${6 + Math.floor(index / 254)}.${(index % 254) + 1}`;

export async function startBenchSites(count: number): Promise<BenchSites> {
  if (count > 508) throw new Error('bench sites: at most 508 (127.0.6.1–127.0.7.254)');
  const directory = await mkdtemp(join(tmpdir(), 'cybermonitor-bench-'));
  const ca = await createTestCa('Cybermonitor Bench CA');
  const caFile = join(directory, 'bench-ca.pem');
  await writeFile(caFile, ca.certPem);
  const leaf = await ca.issue({ names: [`*.${zoneName}`, zoneName] });
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const zone = new Map<string, DnsRecords>();
  const sites: BenchSites['sites'] = [];

  const listen = (server: Server, address: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      server.on('tlsClientError', () => undefined);
      server.once('error', reject);
      server.listen({ port, host: address, backlog: 1024 }, () => resolve());
      servers.push(server);
    });

  for (let index = 0; index < count; index++) {
    const domain = `site-${index}.${zoneName}`;
    const address = addressOf(index);
    zone.set(domain, { a: [address] });
    zone.set(`www.${domain}`, { a: [address] });
    sites.push({ domain, address });
    await listen(
      createHttpServer((request, response) => {
        response.writeHead(301, { location: `https://${(request.headers.host ?? domain).replace(/:\d+$/, '')}${request.url ?? '/'}` });
        response.end();
      }),
      address,
      80,
    );
    await listen(
      createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem, minVersion: 'TLSv1.2' }, (request, response) => {
        if (request.url === '/' || request.url === '') {
          response.writeHead(200, headers);
          response.end(request.method === 'HEAD' ? undefined : homePage);
        } else {
          response.writeHead(404, { ...headers, 'content-type': 'text/plain' });
          response.end('Not found');
        }
      }),
      address,
      443,
    );
  }
  const dns = await startDnsServer(zone);
  return {
    resolver: dns.address,
    caPem: ca.certPem,
    caFile,
    sites,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      await dns.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
