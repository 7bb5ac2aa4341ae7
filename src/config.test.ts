import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('defaults: embedded database, localhost public URL, no Secure cookies, worker in process', () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, './data');
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.secureCookies, false);
  assert.equal(config.runWorkerInProcess, true);
  assert.equal(config.allowPrivateTargets, false);
  assert.deepEqual(config.dnsSources, {});
});

test('an empty variable counts as unset; https public URL means Secure cookies', () => {
  const config = loadConfig({ DATABASE_URL: '', PUBLIC_URL: 'https://cybermonitor.example.nl/', PORT: '8080' });
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.publicUrl, 'https://cybermonitor.example.nl');
  assert.equal(config.secureCookies, true);
  assert.equal(config.port, 8080);
});

test('DNS sources: zones as a list, "off" switches a source off', () => {
  const config = loadConfig({ DNSBL_ZONES: 'zen.example, bl.example ,', CT_SEARCH_URL: 'off', RDAP_BOOTSTRAP_URL: 'https://rdap.example/dns.json' });
  assert.deepEqual(config.dnsSources, { dnsblZones: ['zen.example', 'bl.example'], certificateTransparencyUrl: null, rdapBootstrapUrl: 'https://rdap.example/dns.json' });
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ ALLOW_PRIVATE_TARGETS: 'maybe' }), /ALLOW_PRIVATE_TARGETS/);
});
