// The scanner says who it is: its User-Agent points to the installation's /scanner page, and
// that page (public, nl/en) says what is scanned, when deeper probes run and whom to contact.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { currentUserAgent, defaultUserAgent, fetchChain, setScannerContact } from '../../src/net/http-client.ts';
import { createResolver } from '../../src/net/resolver.ts';
import { Client, startTestApp, type TestApp } from '../http/harness.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp('pglite', { env: { MAIL_FROM: 'Cybermonitor <scanner@cyberveilig.example>' } });
});
after(async () => {
  setScannerContact('https://github.com/cybermonitor/cybermonitor#scanner');
  await app.close();
});

test('the /scanner page is public and names the contact address', async () => {
  const client = new Client(app.baseUrl);
  const nl = await client.get('/scanner');
  assert.equal(nl.status, 200);
  assert.match(nl.text, /Over de scanner van de Cybermonitor/);
  assert.match(nl.text, /scanner@cyberveilig\.example/);
  const en = await client.get('/scanner?lang=en');
  assert.match(en.text, /What we only do with permission/);
});

test('requests carry the configured contact page in their User-Agent', async () => {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers['user-agent'] ?? '');
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(80, '127.0.12.2', resolve));
  try {
    assert.equal(currentUserAgent(), defaultUserAgent);
    setScannerContact('https://cybermonitor.achterhoek.example/scanner');
    await fetchChain('http://127.0.12.2/', { resolver: createResolver(), allowPrivate: true, timeoutMs: 2000 });
    assert.match(seen[0] ?? '', /^Cybermonitor\/[\d.]+ \(\+https:\/\/cybermonitor\.achterhoek\.example\/scanner\)$/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
