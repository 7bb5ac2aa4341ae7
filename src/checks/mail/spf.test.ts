import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpfEvidence } from '../../evidence/mail/spf-evidence.ts';
import { spfEvidenceSchema } from '../../evidence/mail/spf-evidence.ts';
import { hasMessage, languages, t } from '../../i18n/index.ts';
import type { CheckResult } from '../types.ts';
import { mailSpfCheck } from './spf.ts';

const now = new Date('2026-12-04T12:00:00Z');

type Evaluation = NonNullable<SpfEvidence['evaluation']>;

function evidence(record: string, overrides: Partial<SpfEvidence> = {}, evaluation: Partial<Evaluation> = {}): SpfEvidence {
  return spfEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    lookupError: null,
    records: [record],
    evaluation: {
      probeAddress: '192.0.2.1',
      result: 'fail',
      problem: null,
      matched: { domain: 'bakkerij.nl', term: '-all' },
      dnsLookups: 2,
      voidLookups: 0,
      records: [{ domain: 'bakkerij.nl', record, via: 'initial', depth: 0, ownOrganisation: true }],
      ...evaluation,
    },
    allQualifier: '-',
    broadRanges: [],
    includes: [],
    providers: [],
    ...overrides,
  });
}

function judge(input: SpfEvidence): CheckResult {
  const result = mailSpfCheck.judge(input, { now });
  for (const language of languages) {
    assert.ok(hasMessage(language, result.summaryKey), `${language}: ${result.summaryKey}`);
    assert.doesNotMatch(t(language, result.summaryKey, result.summaryParams), /\{\w+\}/, `${language}: ${result.summaryKey} has an unfilled placeholder`);
  }
  return result;
}

describe('mail.spf', () => {
  it('passes -all and notes ~all', () => {
    const strict = judge(evidence('v=spf1 include:spf.protection.outlook.com -all'));
    assert.equal(strict.status, 'pass');
    assert.deepEqual(strict.summaryParams, { lookups: 2 });
    const soft = judge(evidence('v=spf1 include:_spf.google.com ~all', { allQualifier: '~' }, { result: 'softfail' }));
    assert.equal(soft.status, 'notice');
    assert.equal(soft.summaryKey, 'checks.mail.spf.softfail_all');
  });

  it('fails a missing record, several records, +all, ?all and a policy without all', () => {
    assert.equal(judge(evidence('', { records: [], evaluation: null, allQualifier: null })).summaryKey, 'checks.mail.spf.missing');
    const two = judge(evidence('v=spf1 -all', { records: ['v=spf1 -all', 'v=spf1 +all'] }));
    assert.deepEqual([two.status, two.summaryKey, two.summaryParams.count], ['fail', 'checks.mail.spf.multiple', 2]);
    const open = judge(evidence('v=spf1 +all', { allQualifier: '+' }, { result: 'pass', matched: { domain: 'bakkerij.nl', term: '+all' } }));
    assert.deepEqual([open.status, open.severity, open.summaryKey], ['fail', 'high', 'checks.mail.spf.pass_all']);
    assert.equal(judge(evidence('v=spf1 mx ?all', { allQualifier: '?' }, { result: 'neutral' })).summaryKey, 'checks.mail.spf.neutral_all');
    assert.equal(judge(evidence('v=spf1 mx', { allQualifier: null }, { result: 'neutral', matched: null })).summaryKey, 'checks.mail.spf.no_all');
  });

  it('fails a policy that lets the documentation address send', () => {
    const result = judge(evidence('v=spf1 ip4:0.0.0.0/0 -all', { broadRanges: [{ domain: 'bakkerij.nl', term: 'ip4:0.0.0.0/0', family: 4, prefixLength: 0 }] }, { result: 'pass', matched: { domain: 'bakkerij.nl', term: 'ip4:0.0.0.0/0' } }));
    assert.deepEqual([result.status, result.severity, result.summaryKey, result.summaryParams.term], ['fail', 'high', 'checks.mail.spf.authorises_anyone', 'ip4:0.0.0.0/0']);
  });

  it('warns about over-broad ranges', () => {
    const result = judge(evidence('v=spf1 ip4:10.0.0.0/8 -all', { broadRanges: [{ domain: 'bakkerij.nl', term: 'ip4:10.0.0.0/8', family: 4, prefixLength: 8 }] }));
    assert.deepEqual([result.status, result.summaryKey, result.summaryParams.ranges], ['warn', 'checks.mail.spf.broad_ranges', 'ip4:10.0.0.0/8']);
  });

  it('fails permerrors with the reason: lookup limit, void lookups, syntax, included domain without SPF', () => {
    const permerror = (code: NonNullable<Evaluation['problem']>['code'], domain = 'bakkerij.nl', detail = 'a') =>
      judge(evidence('v=spf1 a a a -all', {}, { result: 'permerror', matched: null, problem: { code, domain, detail } }));
    assert.deepEqual([permerror('lookup_limit').status, permerror('lookup_limit').summaryKey], ['fail', 'checks.mail.spf.lookup_limit']);
    assert.equal(permerror('void_limit').summaryKey, 'checks.mail.spf.void_limit');
    assert.equal(permerror('syntax', 'bakkerij.nl', 'ip4:1.2.3: invalid IPv4 network').summaryKey, 'checks.mail.spf.syntax');
    assert.equal(permerror('include_none', 'gone.example').summaryKey, 'checks.mail.spf.include_missing');
    // The lookup limit counts the customer's own choice of includes: a fail even if a provider's record tipped it.
    assert.equal(permerror('lookup_limit', 'spf.provider.example').status, 'fail');
  });

  it('does not fail a customer for a broken record at the mail provider', () => {
    const result = judge(
      evidence(
        'v=spf1 include:spf.provider.example -all',
        {},
        {
          result: 'permerror',
          matched: null,
          problem: { code: 'syntax', domain: 'spf.provider.example', detail: 'ip4:1.2.3: invalid IPv4 network' },
          records: [
            { domain: 'bakkerij.nl', record: 'v=spf1 include:spf.provider.example -all', via: 'initial', depth: 0, ownOrganisation: true },
            { domain: 'spf.provider.example', record: 'v=spf1 ip4:1.2.3 -all', via: 'include', depth: 1, ownOrganisation: false },
          ],
        },
      ),
    );
    assert.deepEqual([result.status, result.summaryKey], ['warn', 'checks.mail.spf.provider_error']);
  });

  it('reports DNS trouble as an error, not a verdict', () => {
    assert.equal(judge(evidence('', { records: [], evaluation: null, lookupError: 'dns_timeout' })).status, 'error');
    const temperror = judge(evidence('v=spf1 include:slow.example -all', {}, { result: 'temperror', matched: null, problem: { code: 'dns_error', domain: 'slow.example', detail: 'timeout' } }));
    assert.deepEqual([temperror.status, temperror.summaryKey], ['error', 'checks.mail.spf.temperror']);
  });
});
