// Hostile DNS: every DNS and reputation gatherer, run against a resolver that stalls, cuts
// packets off, loops its compression pointers, floods TCP with TXT records or answers garbage,
// ends in a clean result — an error with a reason (or information where nothing is claimed) —
// within a bounded time. Never a crash, never a hang.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { judgeAll } from '../../src/checks/registry.ts';
import { dnsGatherers } from '../../src/evidence/dns/dns-gatherers.ts';
import { createDnsClient } from '../../src/net/dns-client.ts';
import { createResolver } from '../../src/net/resolver.ts';
import type { GatherContext } from '../../src/scan/gatherers.ts';
import { type Hostility, type HostileDnsServer, startHostileDns } from './hostile-dns.ts';

describe('DNS gatherers against a hostile DNS server', () => {
  let server: HostileDnsServer;
  before(async () => {
    server = await startHostileDns();
  });
  after(() => server?.close());

  const timeoutMs = 400;
  const context = (domain: string): GatherContext => ({
    domain,
    resolver: createResolver(server.address, timeoutMs),
    dns: createDnsClient({ server: server.address, timeoutMs }),
    allowPrivate: true,
    timeoutMs,
    extraCa: [],
    activeProbes: true,
    signal: AbortSignal.timeout(timeoutMs * 12),
    dnsServer: server.address,
    trustAnchors: `${domain}. IN DS 1 13 2 ${'00'.repeat(32)}`,
    dnsSources: { dnsblZones: ['dnsbl.test'], certificateTransparencyUrl: null, rdapBootstrapUrl: null, subdomains: ['www', 'shop'] },
  });

  const hostilities: Hostility[] = ['slow', 'cut', 'loop', 'garbage', 'huge'];
  for (const hostility of hostilities) {
    it(`gives clean results when the server is ${hostility}`, async () => {
      const domain = `bakkerij.${hostility}.hostile.test`;
      const started = Date.now();
      const evidence = await Promise.all(dnsGatherers.map((gatherer) => gatherer.gather(context(domain))));
      const elapsed = Date.now() - started;
      assert.ok(elapsed < timeoutMs * 12, `bounded: ${elapsed} ms`);
      assert.ok(JSON.stringify(evidence).length < 300_000, 'evidence stays small');
      const results = judgeAll(evidence, new Date());
      assert.equal(results.length, dnsGatherers.length);
      const statuses = Object.fromEntries(results.map((result) => [result.checkId, `${result.status} ${result.summaryKey}`]));
      for (const result of results) {
        assert.doesNotMatch(result.summaryKey, /evidence_invalid|check_failed/);
        // A flood of well-formed TXT records is handled within bounds and read for what it says
        // (no record of the asked type); everything else must end as an error or information.
        const allowed = hostility === 'huge' ? ['error', 'info', 'notice', 'pass'] : ['error', 'info'];
        assert.ok(allowed.includes(result.status), `${hostility}: ${JSON.stringify(statuses)}`);
      }
      if (hostility !== 'huge') {
        const expected = hostility === 'slow' ? 'checks.dns.reason.dns_timeout' : 'checks.dns.reason.dns_malformed';
        for (const id of ['dns.dnssec', 'dns.caa', 'dns.nameservers', 'dns.zone-transfer', 'dns.dangling-cname']) {
          assert.equal(results.find((result) => result.checkId === id)?.summaryKey, expected, `${hostility} ${id}: ${statuses[id]}`);
        }
      }
    });
  }
});
