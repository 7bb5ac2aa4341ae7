import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DmarcEvidence, dmarcEvidenceSchema } from '../../evidence/mail/dmarc-evidence.ts';
import { dmarcErrorCodes, parseDmarcRecord } from '../../evidence/mail/dmarc-record.ts';
import { hasMessage, languages, t } from '../../i18n/index.ts';
import type { CheckResult } from '../types.ts';
import { mailDmarcCheck } from './dmarc.ts';

const now = new Date('2026-12-04T12:00:00Z');

/** Evidence for one record at _dmarc.bakkerij.nl, parsed as the gatherer does. */
function evidence(record: string | null, overrides: Partial<DmarcEvidence> = {}): DmarcEvidence {
  const parsed = record === null ? null : parseDmarcRecord(record);
  const { errors = [], ...policy } = parsed ?? {};
  return dmarcEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    organisationalDomain: 'bakkerij.nl',
    lookupError: null,
    source: record === null ? null : 'domain',
    recordDomain: record === null ? null : 'bakkerij.nl',
    records: record === null ? [] : [record],
    policy: parsed === null ? null : policy,
    errors,
    externalDestinations: [],
    ...overrides,
  });
}

function judge(input: DmarcEvidence): CheckResult {
  const result = mailDmarcCheck.judge(input, { now });
  for (const language of languages) {
    assert.ok(hasMessage(language, result.summaryKey), `${language}: ${result.summaryKey}`);
    assert.doesNotMatch(t(language, result.summaryKey, result.summaryParams), /\{\w+\}/, `${language}: ${result.summaryKey} has an unfilled placeholder`);
  }
  return result;
}

describe('mail.dmarc', () => {
  it('passes quarantine and reject', () => {
    assert.deepEqual([judge(evidence('v=DMARC1; p=reject; rua=mailto:dmarc@bakkerij.nl')).status, judge(evidence('v=DMARC1; p=reject')).summaryParams], ['pass', { policy: 'reject' }]);
    assert.equal(judge(evidence('v=DMARC1;p=quarantine;')).status, 'pass');
  });

  it('fails a missing record and several records, warns about p=none', () => {
    assert.deepEqual([judge(evidence(null)).status, judge(evidence(null)).summaryKey], ['fail', 'checks.mail.dmarc.missing']);
    const two = judge(evidence('v=DMARC1; p=reject', { records: ['v=DMARC1; p=reject', 'v=DMARC1; p=none'], policy: null }));
    assert.deepEqual([two.status, two.summaryKey], ['fail', 'checks.mail.dmarc.multiple']);
    const none = judge(evidence('v=DMARC1; p=none; rua=mailto:dmarc@bakkerij.nl'));
    assert.deepEqual([none.status, none.summaryKey], ['warn', 'checks.mail.dmarc.monitoring_only']);
  });

  it('judges a subdomain by the organisational domain’s sp, else p', () => {
    const atOrganisation = (record: string) =>
      judge(evidence(record, { domain: 'shop.bakkerij.nl', source: 'organisational', recordDomain: 'bakkerij.nl' }));
    assert.equal(atOrganisation('v=DMARC1; p=reject; sp=none').summaryKey, 'checks.mail.dmarc.monitoring_only');
    assert.equal(atOrganisation('v=DMARC1; p=none; sp=reject').status, 'pass');
    assert.equal(atOrganisation('v=DMARC1; p=quarantine').status, 'pass');
  });

  it('notes partial enforcement, testing mode and unprotected subdomains', () => {
    const partial = judge(evidence('v=DMARC1; p=quarantine; pct=25'));
    assert.deepEqual([partial.status, partial.summaryKey, partial.summaryParams.pct], ['notice', 'checks.mail.dmarc.partial', 25]);
    assert.equal(judge(evidence('v=DMARC1; p=reject; t=y')).summaryKey, 'checks.mail.dmarc.testing');
    assert.equal(judge(evidence('v=DMARC1; p=reject; sp=none')).summaryKey, 'checks.mail.dmarc.weak_subdomains');
  });

  it('warns when reports go to an outside address that did not agree to receive them', () => {
    const destination = (authorised: boolean | null) => ({
      kind: 'rua' as const,
      uri: 'mailto:r@rapport.example',
      domain: 'rapport.example',
      authorisationName: 'bakkerij.nl._report._dmarc.rapport.example',
      authorised,
    });
    const record = 'v=DMARC1; p=reject; rua=mailto:r@rapport.example';
    const refused = judge(evidence(record, { externalDestinations: [destination(false)] }));
    assert.deepEqual([refused.status, refused.summaryKey, refused.summaryParams.destinations], ['warn', 'checks.mail.dmarc.unauthorised_reports', 'rapport.example']);
    assert.equal(judge(evidence(record, { externalDestinations: [destination(true)] })).status, 'pass');
    assert.equal(judge(evidence(record, { externalDestinations: [destination(null)] })).status, 'pass');
  });

  it('fails syntax errors with the tag at fault', () => {
    const cases: Array<[string, string]> = [
      ['v=DMARC1; p=rejected', 'p_invalid'],
      ['v=DMARC1; rua=mailto:dmarc@bakkerij.nl', 'p_missing'],
      ['v=dmarc1; p=reject', 'version'],
      ['v=DMARC1; p=reject; pct=150', 'pct_invalid'],
      ['v=DMARC1; p=reject; rua=dmarc@bakkerij.nl', 'uri_invalid'],
      ['v=DMARC1; p=reject; p=none', 'duplicate_tag'],
      ['v=DMARC1; p=reject; adkim=x', 'adkim_invalid'],
      ['v=DMARC1; p=reject; fo=2', 'fo_invalid'],
      ['v=DMARC1; p=reject; sp', 'tag_malformed'],
    ];
    for (const [record, code] of cases) {
      const result = judge(evidence(record));
      assert.deepEqual([result.status, result.summaryKey], ['fail', `checks.mail.dmarc.invalid.${code}`], record);
    }
  });

  it('has a message for every error code the parser can produce', () => {
    for (const language of languages) for (const code of dmarcErrorCodes) assert.ok(hasMessage(language, `checks.mail.dmarc.invalid.${code}`), `${language}: ${code}`);
  });

  it('reports DNS trouble as an error, not a verdict', () => {
    assert.equal(judge(evidence(null, { lookupError: 'dns_failure' })).status, 'error');
  });
});

describe('DMARC record parser', () => {
  it('reads every tag, in any case, with spaces and a trailing semicolon', () => {
    const record = parseDmarcRecord('v=DMARC1 ; P=Quarantine; sp=reject; np=reject; pct=100; adkim=s; ASPF=r; rua=mailto:a@x.nl , mailto:b@y.nl!10m; ruf=mailto:f@x.nl; fo=1:d; ri=3600; rf=afrf; psd=n;');
    assert.deepEqual(record, {
      p: 'quarantine',
      sp: 'reject',
      np: 'reject',
      pct: 100,
      testing: false,
      adkim: 's',
      aspf: 'r',
      rua: [{ uri: 'mailto:a@x.nl', domain: 'x.nl' }, { uri: 'mailto:b@y.nl', domain: 'y.nl' }],
      ruf: [{ uri: 'mailto:f@x.nl', domain: 'x.nl' }],
      fo: '1:d',
      ri: 3600,
      errors: [],
    });
  });
});
