import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnssecEvidence } from '../../evidence/dns/dnssec-evidence.ts';
import { hasMessage } from '../../i18n/index.ts';
import { dnsDnssecCheck } from './dnssec.ts';

const now = new Date('2026-12-04T12:00:00Z');
const evidence = (overrides: Partial<DnssecEvidence>): DnssecEvidence => ({
  domain: 'bakkerij.nl',
  anchorSource: 'iana_root',
  anchor: '.',
  status: 'secure',
  reason: null,
  at: null,
  zone: 'bakkerij.nl',
  chain: [
    { zone: '.', via: 'anchor', keyTags: [20326], algorithms: [8], dsKeyTags: [20326] },
    { zone: 'nl', via: 'ds', keyTags: [17153], algorithms: [13], dsKeyTags: [17153] },
    { zone: 'bakkerij.nl', via: 'ds', keyTags: [1234], algorithms: [13], dsKeyTags: [1234] },
  ],
  signaturesExpire: '2026-12-20T00:00:00.000Z',
  queries: 5,
  ...overrides,
});
const judge = (overrides: Partial<DnssecEvidence>) => dnsDnssecCheck.judge(evidence(overrides), { now });

describe('dns.dnssec', () => {
  it('passes a secure chain', () => {
    const result = judge({});
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.dns.dnssec.pass');
    assert.equal(result.details.zone, 'bakkerij.nl');
  });

  it('warns when the signatures run out within days: re-signing has stopped', () => {
    const result = judge({ signaturesExpire: '2026-12-05T00:00:00.000Z' });
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryKey, 'checks.dns.dnssec.expiring');
    assert.equal(result.summaryParams.days, 0);
  });

  it('warns (medium) for an unsigned domain', () => {
    const result = judge({ status: 'insecure', reason: 'unsigned_delegation', at: 'bakkerij.nl', zone: 'bakkerij.nl', signaturesExpire: null });
    assert.equal(result.status, 'warn');
    assert.equal(result.severity, 'medium');
    assert.equal(result.summaryKey, 'checks.dns.dnssec.unsigned');
    assert.equal(result.summaryParams.at, 'bakkerij.nl');
  });

  it('fails a bogus chain with the reason in the message key', () => {
    for (const reason of ['ds_mismatch', 'signature_expired', 'no_signatures', 'denial_invalid']) {
      const result = judge({ status: 'bogus', reason, at: 'bakkerij.nl' });
      assert.equal(result.status, 'fail');
      assert.equal(result.severity, 'high');
      assert.equal(result.summaryKey, `checks.dns.dnssec.bogus.${reason}`);
    }
    assert.equal(judge({ status: 'bogus', reason: 'labels_invalid', at: 'x.nl' }).summaryKey, 'checks.dns.dnssec.bogus.other');
  });

  it('reports a failed measurement as an error, not as insecure', () => {
    const result = judge({ status: 'indeterminate', reason: 'dns_timeout', at: 'nl', zone: null });
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.dns.reason.dns_timeout');
    assert.equal(judge({ status: 'indeterminate', reason: 'resolver_without_dnssec', at: '.' }).summaryKey, 'checks.dns.reason.resolver_without_dnssec');
    assert.equal(judge({ status: 'indeterminate', reason: 'something_new', at: '.' }).summaryKey, 'checks.dns.reason.dns_failure');
  });

  it('has every message it can produce, in both languages', () => {
    const keys = new Set<string>();
    const cases: Array<Partial<DnssecEvidence>> = [
      {},
      { signaturesExpire: '2026-12-05T00:00:00.000Z' },
      { status: 'insecure', reason: 'unsigned_delegation' },
      { status: 'insecure', reason: 'algorithms_unsupported' },
      ...['ds_mismatch', 'anchor_mismatch', 'signature_expired', 'signature_not_yet_valid', 'signature_invalid', 'no_signatures', 'dnskey_missing', 'denial_missing', 'denial_invalid', 'other'].map(
        (reason) => ({ status: 'bogus' as const, reason }),
      ),
      ...['dns_timeout', 'dns_malformed', 'dns_network', 'dns_truncated', 'dns_budget', 'dns_aborted', 'dns_servfail', 'dns_refused', 'dns_rcode', 'resolver_without_dnssec', 'no_trust_anchor', 'nxdomain', 'trust_anchor_invalid'].map(
        (reason) => ({ status: 'indeterminate' as const, reason }),
      ),
    ];
    for (const overrides of cases) keys.add(judge(overrides).summaryKey);
    keys.add(dnsDnssecCheck.titleKey);
    keys.add(dnsDnssecCheck.remediationKey);
    for (const key of keys) for (const language of ['nl', 'en'] as const) assert.ok(hasMessage(language, key), `${language}:${key}`);
  });
});
