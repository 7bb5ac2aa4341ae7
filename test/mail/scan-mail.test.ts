// The mail.spf and mail.dmarc gatherers inside a real scan of the fixture internet, whose domains
// publish no TXT records at all: clean "missing" verdicts, no errors, no hangs; a DNS server that
// never answers gives error results within the time bound.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import { type FixtureInternet, startFixtureInternet } from '../fixtures/fixture-internet.ts';

describe('SPF and DMARC in a domain scan', () => {
  let fixture: FixtureInternet;
  before(async () => {
    fixture = await startFixtureInternet();
  });
  after(() => fixture.close());

  const scan = (domain: string, timeoutMs = 1000) =>
    scanDomain(domain, { resolver: fixture.resolver, allowPrivate: true, timeoutMs, only: ['mail.spf', 'mail.dmarc'] });

  it('fails a domain without SPF and DMARC records cleanly', async () => {
    const result = await scan(fixture.sites.valid.domain);
    assert.deepEqual(result.evidence.map((item) => item.kind).sort(), ['mail.dmarc', 'mail.spf']);
    const verdicts = Object.fromEntries(result.results.map((item) => [item.checkId, [item.status, item.summaryKey]]));
    assert.deepEqual(verdicts, {
      'mail.spf': ['fail', 'checks.mail.spf.missing'],
      'mail.dmarc': ['fail', 'checks.mail.dmarc.missing'],
    });
    const dmarc = result.evidence.find((item) => item.kind === 'mail.dmarc')?.data as { organisationalDomain: string };
    assert.equal(dmarc.organisationalDomain, 'example.test');
  });

  it('gives error results, not a hang, when DNS never answers', async () => {
    fixture.zone.set(`_dmarc.${fixture.dnsTimeoutDomain}`, { silent: true });
    const started = Date.now();
    const result = await scan(fixture.dnsTimeoutDomain, 300);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      result.results.map((item) => [item.checkId, item.status, item.summaryKey]).sort(),
      [
        ['mail.dmarc', 'error', 'checks.reason.dns_timeout'],
        ['mail.spf', 'error', 'checks.reason.dns_timeout'],
      ],
    );
  });
});
