import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ZoneTransferEvidence } from '../../evidence/dns/zone-transfer-evidence.ts';
import { dnsZoneTransferCheck } from './zone-transfer.ts';

const now = new Date('2026-12-04T12:00:00Z');
type Attempt = ZoneTransferEvidence['attempts'][number];
const attempt = (outcome: Attempt['outcome'], overrides: Partial<Attempt> = {}): Attempt => ({ nameServer: 'ns1.x.nl', address: '192.0.2.1', outcome, rcode: null, records: null, sample: [], detail: null, ...overrides });
const judge = (attempts: Attempt[], zone: string | null = 'x.nl') => dnsZoneTransferCheck.judge({ domain: 'x.nl', zone, lookups: [], attempts }, { now });

describe('dns.zone-transfer', () => {
  it('fails (high) when any name server hands out the zone', () => {
    const result = judge([attempt('refused', { rcode: 5 }), attempt('allowed', { nameServer: 'ns2.x.nl', address: '192.0.2.2', rcode: 0, records: 42, sample: ['x.nl', 'vpn.x.nl'] })]);
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryParams.servers, 'ns2.x.nl (192.0.2.2)');
    assert.equal(result.summaryParams.records, 42);
  });

  it('passes when every reachable server refuses or hangs up', () => {
    const result = judge([attempt('refused', { rcode: 5 }), attempt('closed', { nameServer: 'ns2.x.nl' }), attempt('unreachable', { nameServer: 'ns3.x.nl' })]);
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.refused, 2);
    assert.equal(result.summaryParams.tested, 3);
  });

  it('is an error when nothing could be tested', () => {
    assert.equal(judge([attempt('unreachable'), attempt('no_answer')]).summaryKey, 'checks.dns.zone-transfer.unreachable');
    assert.equal(judge([attempt('not_allowed')]).summaryKey, 'checks.dns.zone-transfer.untested');
    assert.equal(judge([], null).status, 'error');
  });
});
