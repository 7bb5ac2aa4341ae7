// The whole RFC 7208 test suite (openspf.org, release 2014.04; test/mail/testdata/rfc7208-tests.yml
// with its licence beside it) through the product's check_host() and its real DNS client,
// against a real DNS server on loopback serving each scenario's zone data in turn.
//
// Driver conventions, as the suite's own drivers (pyspf's testspf.py) apply them:
// - a name's SPF records are also served as TXT unless the name lists any TXT record;
//   `TXT: NONE` means no TXT record at all;
// - TIMEOUT: a query for a type with no record listed before it is never answered;
// - where `result` is a list, any of them counts; `explanation: DEFAULT` means the domain
//   gave no explanation of its own; explanations are compared without regard to case (the
//   suite writes IPv6 nibbles in capitals, RFC 7208 §7.4's own example in small letters).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { checkHost, type SpfResult } from '../../src/mail/spf/check-host.ts';
import { createDnsClient } from '../../src/net/dns-client.ts';
import { bytes, startZoneServer, type Zone, type ZoneEntry, type ZoneServer } from '../fixtures/dns-zones.ts';

interface SuiteCase {
  description?: string;
  spec?: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: SpfResult | SpfResult[];
  explanation?: string;
}

interface Scenario {
  description: string;
  tests: Record<string, SuiteCase>;
  zonedata?: Record<string, Array<string | Record<string, unknown>>>;
}

const suitePath = new URL('./testdata/rfc7208-tests.yml', import.meta.url);
const scenarios: Scenario[] = parseAllDocuments(readFileSync(suitePath, 'utf8'))
  .map((document) => document.toJS() as Scenario | null)
  .filter((scenario): scenario is Scenario => scenario !== null);

const strings = (value: unknown): Buffer[] => (Array.isArray(value) ? value.map((part) => bytes(String(part))) : [bytes(String(value))]);

function zoneOf(scenario: Scenario): Zone {
  const zone: Zone = new Map();
  for (const [name, rawEntries] of Object.entries(scenario.zonedata ?? {})) {
    const entries: ZoneEntry[] = [];
    const generated: ZoneEntry[] = [];
    let listsTxt = false;
    for (const raw of rawEntries) {
      if (raw === 'TIMEOUT') {
        entries.push({ type: 'TIMEOUT' });
        continue;
      }
      for (const [type, value] of Object.entries(raw as Record<string, unknown>)) {
        switch (type) {
          case 'TXT':
            listsTxt = true;
            if (value !== 'NONE') entries.push({ type: 'TXT', data: strings(value) });
            break;
          case 'SPF':
            entries.push({ type: 'SPF', data: strings(value) });
            generated.push({ type: 'TXT', data: strings(value) });
            break;
          case 'MX': {
            const [preference, exchange] = value as [number, string];
            entries.push({ type: 'MX', data: { preference, exchange: exchange === '' ? '.' : exchange } });
            break;
          }
          case 'A':
          case 'AAAA':
          case 'PTR':
          case 'CNAME':
            entries.push({ type, data: String(value) });
            break;
          default:
            throw new Error(`zone data type ${type} not understood`);
        }
      }
    }
    zone.set(name.toLowerCase(), listsTxt ? entries : [...entries, ...generated]);
  }
  return zone;
}

describe('RFC 7208 test suite', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(new Map(), { host: '127.0.5.1' });
  });
  after(() => server.close());

  it('passes every case through check_host() and the real DNS client', async (t) => {
    let total = 0;
    let passed = 0;
    const failures: string[] = [];
    for (const scenario of scenarios) {
      server.setZone(zoneOf(scenario));
      for (const [name, testCase] of Object.entries(scenario.tests)) {
        total += 1;
        const allowed = Array.isArray(testCase.result) ? testCase.result : [testCase.result];
        // A fresh client per case: the cache must not carry answers across scenarios.
        const dns = createDnsClient({ server: server.address, timeoutMs: 200, attempts: 1 });
        const evaluation = await checkHost({ ip: testCase.host, sender: testCase.mailfrom, helo: testCase.helo, receiver: 'receiver.example.net' }, { dns });
        const resultOk = allowed.includes(evaluation.result);
        let explanationOk = true;
        if (testCase.explanation !== undefined && evaluation.result === 'fail') {
          explanationOk =
            testCase.explanation === 'DEFAULT'
              ? evaluation.explanation === null
              : evaluation.explanation?.toLowerCase() === testCase.explanation.toLowerCase();
        }
        if (resultOk && explanationOk) passed += 1;
        else {
          failures.push(
            `${scenario.description} / ${name}: expected ${allowed.join('|')}${testCase.explanation ? ` (${testCase.explanation})` : ''}, ` +
              `got ${evaluation.result}${evaluation.explanation ? ` (${evaluation.explanation})` : ''}${evaluation.problem ? ` [${evaluation.problem.code}: ${evaluation.problem.detail}]` : ''}`,
          );
        }
      }
    }
    t.diagnostic(`RFC 7208 test suite: ${passed} of ${total} cases pass`);
    console.log(`RFC 7208 test suite: ${passed} of ${total} cases pass`);
    assert.equal(total, 203, 'the suite file has 203 cases');
    assert.deepEqual(failures, []);
    assert.equal(passed, total);
  });
});
