// The vertical slice end to end against the fixture internet: real DNS, real TLS, real verdicts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../src/checks/types.ts';
import { AppError } from '../../src/errors.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import { type FixtureInternet, startFixtureInternet } from '../fixtures/fixture-internet.ts';

describe('scanDomain', () => {
  let fixture: FixtureInternet;
  let certificateResult: (domain: string, allowPrivate?: boolean) => Promise<CheckResult>;

  before(async () => {
    fixture = await startFixtureInternet();
    certificateResult = async (domain, allowPrivate = true) => {
      const scan = await scanDomain(domain, { resolver: fixture.resolver, allowPrivate, timeoutMs: 1500, extraCa: [fixture.caPem] });
      const result = scan.results.find((candidate) => candidate.checkId === 'tls.certificate');
      assert.ok(result, 'the scan judged the certificate');
      return result;
    };
  });
  after(() => fixture.close());

  it('returns target, timing, evidence and results', async () => {
    const scan = await scanDomain(`  ${fixture.sites.valid.domain.toUpperCase()}. `, {
      resolver: fixture.resolver,
      allowPrivate: true,
      extraCa: [fixture.caPem],
    });
    assert.equal(scan.target, fixture.sites.valid.domain);
    assert.ok(Date.parse(scan.startedAt) <= Date.now());
    assert.ok(scan.durationMs >= 0 && scan.durationMs < 5000);
    // Other gatherers and checks join the list as they are written; each kind is gathered once.
    const kinds = scan.evidence.map((item) => item.kind);
    assert.equal(kinds[0], 'tls.certificate');
    assert.equal(new Set(kinds).size, kinds.length);
    assert.deepEqual(scan.results.filter((result) => result.checkId === 'tls.certificate').map((result) => result.status), ['pass']);
    assert.ok(JSON.parse(JSON.stringify(scan)), 'a scan is serialisable');
  });

  const cases: Array<[keyof FixtureInternet['sites'], string, string]> = [
    ['valid', 'pass', 'checks.tls.certificate.pass'],
    ['expired', 'fail', 'checks.tls.certificate.expired'],
    ['wrongHost', 'fail', 'checks.tls.certificate.hostname_mismatch'],
    ['selfSigned', 'fail', 'checks.tls.certificate.self_signed'],
    ['notYetValid', 'fail', 'checks.tls.certificate.not_yet_valid'],
    ['soon', 'warn', 'checks.tls.certificate.expires_soon'],
    ['month', 'notice', 'checks.tls.certificate.expires_within_month'],
    ['refused', 'error', 'checks.reason.connection_refused'],
    ['plaintext', 'error', 'checks.reason.handshake_failed'],
  ];
  for (const [site, status, summaryKey] of cases) {
    it(`judges the ${site} site as ${status}`, async () => {
      const result = await certificateResult(fixture.sites[site].domain);
      assert.equal(result.status, status);
      assert.equal(result.summaryKey, summaryKey);
    });
  }

  it('reports the days left on a certificate that expires soon', async () => {
    const result = await certificateResult(fixture.sites.soon.domain);
    assert.ok(result.summaryParams.days === 9 || result.summaryParams.days === 10, `days ${result.summaryParams.days}`);
  });

  it('trusts only the CAs it is given', async () => {
    const scan = await scanDomain(fixture.sites.valid.domain, { resolver: fixture.resolver, allowPrivate: true });
    assert.equal(scan.results[0]?.summaryKey, 'checks.tls.certificate.untrusted');
  });

  it('reports an unknown domain as an error', async () => {
    const result = await certificateResult(fixture.unknownDomain);
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.reason.no_address');
  });

  it('refuses a domain that resolves to loopback unless private targets are allowed', async () => {
    const result = await certificateResult(fixture.loopbackDomain, false);
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.reason.target_refused');
    assert.deepEqual(result.details.refusedAddresses, [fixture.sites.valid.address]);
  });

  it('bounds a server that never finishes the handshake', async () => {
    const started = Date.now();
    const result = await certificateResult(fixture.sites.silent.domain);
    assert.equal(result.summaryKey, 'checks.reason.timeout');
    assert.ok(Date.now() - started < 3000);
  });

  it('refuses names that are not domains before any network step', async () => {
    for (const raw of ['https://valid.example.test/', '127.0.0.1', 'valid.example.test:443']) {
      await assert.rejects(scanDomain(raw, { resolver: fixture.resolver, allowPrivate: true }), (error: unknown) => error instanceof AppError && error.code === 'validation');
    }
    await assert.rejects(scanDomain(fixture.sites.valid.domain, { resolver: fixture.resolver, allowPrivate: false }), {
      messageKey: 'validation.domain_reserved',
    });
  });
});
