import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { bundledCataloguePath, type KevCatalogue, parseKevCatalogue } from './catalogue.ts';
import { loadBannerRules, matchKnownExploited, versionFallsIn } from './match.ts';
import { compareVersions, parseVersion } from './version.ts';

const bundled = parseKevCatalogue(readFileSync(bundledCataloguePath, 'utf8'));

function catalogueWith(...cves: string[]): KevCatalogue {
  const vulnerabilities = cves.map((cveID) => ({
    cveID,
    vendorProject: 'Test',
    product: 'Test',
    vulnerabilityName: `${cveID} test entry`,
    dateAdded: '2026-01-01',
    shortDescription: 'test',
    requiredAction: 'test',
    dueDate: '2026-01-22',
    knownRansomwareCampaignUse: 'Unknown',
  }));
  return { catalogVersion: 'test', dateReleased: '2026-01-01T00:00:00Z', count: vulnerabilities.length, vulnerabilities };
}

describe('KEV banner matching', () => {
  it('parses banner versions into comparable parts', () => {
    assert.deepEqual(parseVersion('4.90_1'), [4, 90, 1]);
    assert.deepEqual(parseVersion('1.3.5a'), [1, 3, 5, 1]);
    assert.deepEqual(parseVersion('1.3.6rc2'), [1, 3, 6, -1, 2]);
    assert.deepEqual(parseVersion('8.2p1'), [8, 2]);
    assert.deepEqual(parseVersion('5.7.33-0ubuntu0.18.04.1'), [5, 7, 33]);
    assert.equal(parseVersion('unknown'), undefined);
    assert.ok(compareVersions([1, 3, 6, -1, 2], [1, 3, 6]) < 0, 'a release candidate comes before its release');
    assert.ok(compareVersions([4, 92], [4, 92, 0]) === 0);
  });

  it('tells certain from possible when the banner hides version parts', () => {
    const servU = [{ fixed: '15.2.3.742' }];
    assert.equal(versionFallsIn('15.2.2', 4, servU), 'certain');
    assert.equal(versionFallsIn('15.2.3', 4, servU), 'possible', 'HF1 and HF2 both greet as 15.2.3');
    assert.equal(versionFallsIn('15.2.3.742', 4, servU), undefined);
    assert.equal(versionFallsIn('15.2.4', 4, servU), undefined);
    const apache = [{ introduced: '2.4.49', fixed: '2.4.51' }];
    assert.equal(versionFallsIn('2.4.49', 3, apache), 'certain');
    assert.equal(versionFallsIn('2.4', 3, apache), 'possible', 'ServerTokens Minor');
    assert.equal(versionFallsIn('2.4.51', 3, apache), undefined);
    assert.equal(versionFallsIn('2.2', 3, apache), undefined);
  });

  it('matches the bundled rules against the bundled catalogue', () => {
    const cves = (product: string, version: string) => matchKnownExploited({ product, version }, bundled).map((match) => `${match.cve}:${match.certainty}`);
    assert.deepEqual(cves('serv-u', '15.2.3'), ['CVE-2021-35211:possible']);
    assert.deepEqual(cves('serv-u', '15.1.6'), ['CVE-2021-35211:certain']);
    assert.deepEqual(cves('webmin', '1.920'), ['CVE-2019-15107:certain']);
    assert.deepEqual(cves('webmin', '2.105'), []);
    assert.deepEqual(cves('elasticsearch', '1.1.1').sort(), ['CVE-2014-3120:certain', 'CVE-2015-1427:certain']);
    assert.deepEqual(cves('elasticsearch', '1.4.2'), ['CVE-2015-1427:certain']);
    assert.deepEqual(cves('elasticsearch', '8.11.0'), []);
    assert.deepEqual(cves('exim', '4.92'), ['CVE-2019-16928:certain']);
    assert.deepEqual(cves('exim', '4.89').sort(), ['CVE-2018-6789:certain']);
    assert.deepEqual(cves('exim', '4.69').sort(), ['CVE-2010-4344:certain', 'CVE-2018-6789:certain']);
    assert.deepEqual(cves('exim', '4.96'), []);
    assert.deepEqual(cves('apache-http-server', '2.4.50'), ['CVE-2021-42013:certain']);
    assert.deepEqual(cves('openssh', '7.4'), [], 'no rule, no claim');
  });

  it('keeps a rule silent while its CVE is not in the loaded catalogue', () => {
    assert.deepEqual(matchKnownExploited({ product: 'vsftpd', version: '2.3.4' }, bundled), []);
    const listing = catalogueWith('CVE-2011-2523');
    assert.deepEqual(
      matchKnownExploited({ product: 'vsftpd', version: '2.3.4' }, listing).map((match) => match.cve),
      ['CVE-2011-2523'],
    );
    assert.deepEqual(matchKnownExploited({ product: 'webmin', version: '1.920' }, listing), [], 'Webmin is not in this catalogue');
  });

  it('has every bundled KEV entry used by a rule and every rule documented', () => {
    const rules = loadBannerRules();
    const listed = new Set(bundled.vulnerabilities.map((entry) => entry.cveID));
    for (const cve of listed) assert.ok(rules.rules.some((rule) => rule.cve === cve), `${cve} is bundled but no rule uses it`);
    for (const rule of rules.rules) {
      assert.ok(rules.products[rule.product], `${rule.cve}: unknown product ${rule.product}`);
      assert.ok(listed.has(rule.cve) || /Not in the KEV catalogue bundled here/.test(rule.source), `${rule.cve} must be bundled or say why not`);
    }
  });

  it('refuses a catalogue whose count does not match its entries', () => {
    const text = readFileSync(bundledCataloguePath, 'utf8').replace(/"count": \d+/, '"count": 1404');
    assert.throws(() => parseKevCatalogue(text), /count/);
  });
});
