// HTTP services the DNS tests need, on loopback addresses of this area (127.0.8.x, port 80):
// a cloud provider's front end that answers per Host like GitHub Pages and Shopify do for
// claimed and unclaimed names, an RDAP server with its IANA-style bootstrap file, and a
// Certificate Transparency search speaking crt.sh's JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { providerHost } from './dns-world.ts';

export const servicesHost = '127.0.8.40';
const day = 24 * 60 * 60 * 1000;

export interface DnsHttpServices {
  bootstrapUrl: string;
  ctUrl: string;
  /** Paths requested, for tests that count or inspect requests. */
  requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(80, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

function provider(request: IncomingMessage, response: ServerResponse): void {
  const host = (request.headers.host ?? '').toLowerCase();
  const send = (status: number, body: string) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body);
  };
  if (host === 'blog.dangling.test') return send(200, '<html><body><h1>Our blog</h1></body></html>');
  if (host === 'shop.dangling.test') return send(402, '<html><body><p>Sorry, this shop is currently unavailable.</p></body></html>');
  // GitHub Pages' page for a custom domain no repository claims.
  send(404, '<html><body><h1>404</h1><p><strong>There isn&#39;t a GitHub Pages site here.</strong></p></body></html>');
}

function rdapDomain(name: string, now: number): unknown {
  const expiry: Record<string, number | null> = { 'secure.test': 200, 'one-ns.test': 10, 'insecure.test': -3, 'nsec3.test': null };
  if (!(name in expiry)) return undefined;
  const days = expiry[name];
  const events: Array<{ eventAction: string; eventDate: string }> = [{ eventAction: 'registration', eventDate: '2015-03-01T10:00:00Z' }];
  if (days !== null && days !== undefined) events.push({ eventAction: 'expiration', eventDate: new Date(now + days * day).toISOString() });
  return {
    objectClassName: 'domain',
    ldhName: name.toUpperCase(),
    rdapConformance: ['rdap_level_0'],
    status: ['active', 'client transfer prohibited'],
    events,
    entities: [{ objectClassName: 'entity', roles: ['registrar'], handle: '1234', vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Fixture Registrar B.V.']]] }],
  };
}

export async function startDnsHttpServices(): Promise<DnsHttpServices> {
  const requests: string[] = [];
  const providerServer = createServer(provider);
  const services = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${servicesHost}`);
    requests.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/rdap/dns.json') {
      return json(200, { version: '1.0', publication: '2026-12-01T00:00:00Z', services: [[['example'], ['http://127.0.8.41/']], [['test'], [`http://${servicesHost}/rdap/`]]] });
    }
    const domain = /^\/rdap\/domain\/([^/]+)$/.exec(url.pathname)?.[1];
    if (domain !== undefined) {
      const object = rdapDomain(decodeURIComponent(domain).toLowerCase(), Date.now());
      if (object === undefined) return json(404, { errorCode: 404, title: 'Not Found' }, 'application/rdap+json');
      return json(200, object, 'application/rdap+json');
    }
    if (url.pathname === '/ct/' && url.searchParams.get('output') === 'json') {
      const query = url.searchParams.get('q') ?? '';
      if (query !== '%.dangling.test') return json(200, []);
      return json(200, [
        { issuer_ca_id: 16418, issuer_name: 'C=US, O=Let\'s Encrypt, CN=R3', common_name: 'dangling.test', name_value: 'dangling.test\nwww.dangling.test', id: 1, entry_timestamp: '2021-01-01T00:00:00.000', not_before: '2021-01-01T00:00:00', not_after: '2021-04-01T00:00:00', serial_number: '03aa', result_count: 2 },
        { issuer_ca_id: 16418, issuer_name: 'C=US, O=Let\'s Encrypt, CN=R3', common_name: 'legacy-portal.dangling.test', name_value: 'legacy-portal.dangling.test\n*.Dangling.Test\nevil.example.org', id: 2, entry_timestamp: '2019-05-01T00:00:00.000', not_before: '2019-05-01T00:00:00', not_after: '2019-08-01T00:00:00', serial_number: '04bb', result_count: 3 },
      ]);
    }
    json(404, { error: 'not found' });
  });
  await listen(providerServer, providerHost);
  await listen(services, servicesHost);
  return {
    bootstrapUrl: `http://${servicesHost}/rdap/dns.json`,
    ctUrl: `http://${servicesHost}/ct/`,
    requests,
    async close() {
      providerServer.closeAllConnections();
      services.closeAllConnections();
      await Promise.all([close(providerServer), close(services)]);
    },
  };
}
