// Ownership proofs against a real DNS server and a real HTTPS server on 127.0.12.1.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { after, before, test } from 'node:test';
import { startDnsServer, type DnsRecords, type FixtureDnsServer } from '../../test/fixtures/dns-server.ts';
import { createTestCa } from '../../test/fixtures/test-pki.ts';
import { createOwnershipProver, wellKnownPath } from './prove-domain.ts';

const token = 'cybermonitor-verification=0123456789abcdef0123456789abcdef';
const zone = new Map<string, DnsRecords>();
let dns: FixtureDnsServer;
let web: Server;
let served = '';

before(async () => {
  const ca = await createTestCa();
  const certificate = await ca.issue({ names: ['web.owner.test', 'dns.owner.test', 'none.owner.test'] });
  web = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
    if (request.url === wellKnownPath && request.headers.host === 'web.owner.test') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(served);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => web.listen(443, '127.0.12.1', resolve));
  for (const name of ['web.owner.test', 'dns.owner.test', 'none.owner.test']) zone.set(name, { a: ['127.0.12.1'] });
  zone.set('_cybermonitor.dns.owner.test', { txt: [['unrelated'], [token]] });
  dns = await startDnsServer(zone);
  prove = createOwnershipProver({ resolver: dns.address, allowPrivate: true, timeoutMs: 2000, extraCa: [ca.certPem] });
});
after(async () => {
  await new Promise<void>((resolve) => web.close(() => resolve()));
  await dns.close();
});
let prove: ReturnType<typeof createOwnershipProver>;

test('a TXT record with the exact token proves ownership', async () => {
  assert.equal(await prove('dns.owner.test', token), 'dns_txt');
  assert.equal(await prove('dns.owner.test', `${token}0`), null);
});

test('the well-known file over HTTPS proves ownership only when it holds the token', async () => {
  served = 'something else\n';
  assert.equal(await prove('web.owner.test', token), null);
  served = `# Cybermonitor\n${token}\n`;
  assert.equal(await prove('web.owner.test', token), 'well_known');
});

test('no record and no file is no proof; private targets are refused without allow-private', async () => {
  assert.equal(await prove('none.owner.test', token), null);
  const strict = createOwnershipProver({ resolver: dns.address, allowPrivate: false, timeoutMs: 2000 });
  served = `${token}\n`;
  assert.equal(await strict('web.owner.test', token), null, 'the loopback web server is not asked');
});
