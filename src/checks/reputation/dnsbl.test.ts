import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnsblEvidence } from '../../evidence/reputation/dnsbl-evidence.ts';
import { hasMessage } from '../../i18n/index.ts';
import { reputationDnsblCheck } from './dnsbl.ts';

const now = new Date('2026-12-04T12:00:00Z');
const base: DnsblEvidence = {
  domain: 'x.nl',
  zones: [
    { zone: 'zen.spamhaus.org', status: 'ok', detail: null },
    { zone: 'bl.spamcop.net', status: 'unavailable', detail: 'test entry 127.0.0.2 not listed' },
  ],
  addresses: [
    { address: '198.51.100.25', roles: ['mail'], hosts: ['mail.x.nl'] },
    { address: '203.0.113.80', roles: ['web'], hosts: ['x.nl', 'www.x.nl'] },
  ],
  skippedAddresses: [],
  listings: [],
  failures: [],
};
const judge = (data: Partial<DnsblEvidence>) => reputationDnsblCheck.judge({ ...base, ...data }, { now });

describe('reputation.dnsbl', () => {
  it('passes when no address is listed on a working zone', () => {
    const result = judge({});
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.zones, 'zen.spamhaus.org');
  });

  it('fails (high) a listed mail server', () => {
    const result = judge({ listings: [{ address: '198.51.100.25', zone: 'zen.spamhaus.org', codes: ['127.0.0.4'], reason: 'https://check.spamhaus.org/' }] });
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryParams.addresses, '198.51.100.25');
  });

  it('warns about a listed website address', () => {
    const result = judge({ listings: [{ address: '203.0.113.80', zone: 'zen.spamhaus.org', codes: ['127.0.0.2'], reason: null }] });
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryKey, 'checks.reputation.dnsbl.web_listed');
  });

  it('is an error when no zone can be consulted, and info without public addresses', () => {
    assert.equal(judge({ zones: [{ zone: 'zen.spamhaus.org', status: 'refused', detail: '127.255.255.254' }] }).summaryKey, 'checks.reputation.dnsbl.unavailable');
    assert.equal(judge({ addresses: [], skippedAddresses: ['10.0.0.1'] }).status, 'info');
    assert.equal(judge({ failures: [{ name: '25.100.51.198.zen.spamhaus.org', failure: 'timeout' }] }).summaryKey, 'checks.reputation.dnsbl.incomplete');
  });

  it('has its messages in both languages', () => {
    for (const key of ['title', 'remediation', 'mail_listed', 'web_listed', 'no_addresses', 'unavailable', 'incomplete', 'pass']) {
      for (const language of ['nl', 'en'] as const) assert.ok(hasMessage(language, `checks.reputation.dnsbl.${key}`), `${language}:${key}`);
    }
  });
});
