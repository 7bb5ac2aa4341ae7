// Agreement with testssl.sh (the Debian package, command `testssl`): against the same fixture
// servers, our protocol, weak-cipher-category, forward-secrecy and certificate verdicts must
// match testssl's JSON findings. testssl takes 20–50 s per server here, so four servers run in
// parallel with the narrowest flags that yield those findings (-p, -s, -f, -S).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { judgeAll } from '../../src/checks/registry.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import { gatherCertificateEvidence } from '../../src/evidence/tls/certificate.ts';
import { gatherCiphersEvidence, gatherProtocolsEvidence } from '../../src/evidence/tls/tls-scan-gatherer.ts';
import type { ProtocolsEvidence } from '../../src/evidence/tls/tls-scan-evidence.ts';
import { createResolver } from '../../src/net/resolver.ts';
import { type TlsFixtureName, type TlsFixtures, startTlsFixtures } from '../fixtures/tls-servers.ts';

interface Finding {
  id: string;
  severity: string;
  finding: string;
}

interface Ours {
  protocols: ProtocolsEvidence;
  results: CheckResult[];
}

// Which fixture gets which testssl flags: together they cover every verdict compared below.
const runs: Array<{ site: TlsFixtureName; flags: string[] }> = [
  { site: 'sslHello', flags: ['-p', '-s', '-f'] }, // SSLv2, SSLv3, EXPORT, LOW (DES, RC2, RC4), 3DES/IDEA
  { site: 'rc4', flags: ['-p', '-s'] }, // RC4 and 3DES from gnutls-serv, anonymous ECDH, TLS 1.0/1.1
  { site: 'anonymous', flags: ['-p', '-s', '-f', '-S'] }, // NULL, aNULL, no forward secrecy, a good certificate
  { site: 'weakCertificate', flags: ['-p', '-S'] }, // chain incomplete, RSA 1024, SHA-1, expires in 10 days
];

const testsslProtocols: Record<string, string> = { SSLv2: 'SSLv2', SSLv3: 'SSLv3', TLS1: 'TLSv1', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };
/** testssl's standard cipher categories and the weaknesses of ours that fall in each. */
const testsslCategories: Record<string, string[]> = {
  cipherlist_NULL: ['null'],
  cipherlist_aNULL: ['anonymous'],
  cipherlist_EXPORT: ['export'],
  cipherlist_LOW: ['rc4', 'des', 'rc2'],
  cipherlist_3DES_IDEA: ['3des', 'idea'],
};

/** testssl words an offered protocol or category in several ways; "not offered" always so. */
function offered(finding: Finding): boolean {
  if (/not offered/i.test(finding.finding)) return false;
  if (/^offered|vulnerable|^supported/i.test(finding.finding)) return true;
  throw new Error(`cannot read testssl finding ${finding.id}: ${finding.finding}`);
}

function runTestssl(fixtures: TlsFixtures, site: TlsFixtureName, flags: string[], directory: string): Promise<Finding[]> {
  const jsonFile = join(directory, `${site}.json`);
  const { domain, address } = fixtures.sites[site];
  const args = ['--jsonfile', jsonFile, '--warnings', 'off', '--quiet', '--color', '0', '--ip', address, '--add-ca', fixtures.rootFile, ...flags, `${domain}:${fixtures.port}`];
  return new Promise((resolve, reject) => {
    // testssl's exit code counts findings; the JSON file is what matters.
    execFile('testssl', args, { timeout: 85_000, maxBuffer: 16 * 1024 * 1024 }, async (error) => {
      try {
        resolve(JSON.parse(await readFile(jsonFile, 'utf8')) as Finding[]);
      } catch (readError) {
        reject(new Error(`testssl ${args.join(' ')} left no JSON: ${(error ?? readError as Error).message}`));
      }
    });
  });
}

describe('agreement with testssl.sh', () => {
  let fixtures: TlsFixtures;
  let directory: string;
  const testssl = new Map<TlsFixtureName, Finding[]>();
  const ours = new Map<TlsFixtureName, Ours>();

  before(async () => {
    const probe = spawnSync('testssl', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error('testssl is not installed: install the Debian package testssl.sh (apt-get install testssl.sh; .ci/run does this) to run the agreement test');
    }
    fixtures = await startTlsFixtures();
    directory = await mkdtemp(join(tmpdir(), 'cybermonitor-testssl-'));
    const resolver = createResolver(fixtures.resolver, 1000);
    await Promise.all(
      runs.map(async ({ site, flags }) => {
        const domain = fixtures.sites[site].domain;
        const options = { resolver, allowPrivate: true, timeoutMs: 3000, shareKey: {} };
        const [findings, protocols, ciphers, certificate] = await Promise.all([
          runTestssl(fixtures, site, flags, directory),
          gatherProtocolsEvidence(domain, options),
          gatherCiphersEvidence(domain, options),
          gatherCertificateEvidence(domain, { resolver, allowPrivate: true, timeoutMs: 3000, extraCa: [fixtures.rootPem] }),
        ]);
        testssl.set(site, findings);
        ours.set(site, { protocols: protocols.data, results: judgeAll([protocols, ciphers, certificate], new Date()) });
      }),
    );
  }, { timeout: 120_000 });
  after(async () => {
    await fixtures?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const finding = (site: TlsFixtureName, id: string): Finding => {
    const found = testssl.get(site)?.find((entry) => entry.id === id);
    assert.ok(found, `testssl reported ${id} for ${site}`);
    return found;
  };
  const result = (site: TlsFixtureName, checkId: string): CheckResult => {
    const found = ours.get(site)?.results.find((entry) => entry.checkId === checkId);
    assert.ok(found, `we judged ${checkId} for ${site}`);
    return found;
  };

  it('agrees on every protocol version, SSLv2 to TLS 1.3', () => {
    for (const { site } of runs) {
      for (const [id, protocol] of Object.entries(testsslProtocols)) {
        const accepted = ours.get(site)?.protocols.protocols.find((entry) => entry.protocol === protocol)?.accepted;
        assert.equal(accepted, offered(finding(site, id)), `${site} ${protocol}: testssl says "${finding(site, id).finding}"`);
      }
    }
  });

  it('agrees on the weak cipher categories NULL, aNULL, EXPORT, LOW and 3DES/IDEA', () => {
    for (const { site, flags } of runs.filter((run) => run.flags.includes('-s'))) {
      const categories = (result(site, 'tls.weak-ciphers').details.categories ?? []) as string[];
      for (const [id, weaknesses] of Object.entries(testsslCategories)) {
        const ourVerdict = weaknesses.some((weakness) => categories.includes(weakness));
        assert.equal(ourVerdict, offered(finding(site, id)), `${site} ${id} (${flags.join(' ')}): we found ${categories.join(', ') || 'none'}`);
      }
      const anyWeak = Object.keys(testsslCategories).some((id) => offered(finding(site, id)));
      assert.equal(result(site, 'tls.weak-ciphers').status === 'fail', anyWeak, `${site} weak-ciphers verdict`);
    }
  });

  it('agrees on forward secrecy being offered or not', () => {
    for (const { site } of runs.filter((run) => run.flags.includes('-f'))) {
      const testsslOffers = /^offered/i.test(finding(site, 'PFS').finding);
      assert.equal(result(site, 'tls.forward-secrecy').status !== 'fail', testsslOffers, `${site}: testssl says "${finding(site, 'PFS').finding}"`);
    }
  });

  it('agrees on the chain of trust, key size, signature algorithm and expiry', () => {
    const good = ['OK', 'INFO'];
    for (const { site } of runs.filter((run) => run.flags.includes('-S'))) {
      const chain = finding(site, 'cert_chain_of_trust').finding;
      const chainResult = result(site, 'tls.certificate.chain');
      if (/^passed/.test(chain)) {
        assert.equal(chainResult.status, 'pass', `${site} chain`);
        assert.equal(result(site, 'tls.certificate').status === 'fail', false, `${site} certificate trusted`);
      } else {
        assert.match(chain, /chain incomplete/, `${site} chain`);
        assert.equal(chainResult.status, 'fail', `${site} chain`);
        assert.equal(chainResult.summaryKey, 'checks.tls.certificate.chain.incomplete');
      }
      const keySize = finding(site, 'cert_keySize');
      assert.equal(result(site, 'tls.certificate.key').status === 'pass', good.includes(keySize.severity), `${site} key: testssl ${keySize.severity} ${keySize.finding}`);
      const signature = finding(site, 'cert_signatureAlgorithm');
      assert.equal(result(site, 'tls.certificate.signature').status === 'pass', good.includes(signature.severity), `${site} signature: testssl ${signature.severity} ${signature.finding}`);

      const expiry = finding(site, 'cert_expirationStatus').finding;
      const daysLeft = result(site, 'tls.certificate').details.daysLeft as number;
      const soon = /expires < 30 days \((\d+)\)/.exec(expiry);
      if (soon) {
        assert.ok(daysLeft <= 30, `${site}: testssl "${expiry}", we count ${daysLeft} days`);
        assert.ok(Math.abs(daysLeft - Number(soon[1])) <= 1, `${site}: testssl "${expiry}", we count ${daysLeft} days`);
      } else {
        assert.match(expiry, /^\d+ >= \d+ days$/, `${site} expiry`);
        assert.ok(daysLeft > 30, `${site}: testssl "${expiry}", we count ${daysLeft} days`);
      }
    }
  });
});
