import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NameserversEvidence } from '../../evidence/dns/nameservers-evidence.ts';
import { dnsNameserversCheck, networkOf } from './nameservers.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (nameServers: NameserversEvidence['nameServers'], data: Partial<NameserversEvidence> = {}) =>
  dnsNameserversCheck.judge({ domain: 'bakkerij.nl', zone: 'bakkerij.nl', lookups: [{ name: 'bakkerij.nl', status: 'ok', failure: null }], nameServers, ...data }, { now });
const server = (name: string, ...addresses: string[]) => ({ name, addresses, failure: addresses.length ? null : 'no_address' });

describe('dns.nameservers', () => {
  it('passes two or more name servers in different networks', () => {
    const result = judge([server('ns1.provider.nl', '195.135.195.195', '2a01:7c8:dddd:195::195'), server('ns2.provider.net', '185.71.6.1'), server('ns3.provider.eu', '195.8.195.195')]);
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.count, 3);
    assert.equal(result.summaryParams.networks, 4);
  });

  it('fails a single name server', () => {
    const result = judge([server('ns.bakkerij.nl', '192.0.2.1')]);
    assert.equal(result.status, 'fail');
    assert.equal(result.summaryKey, 'checks.dns.nameservers.single');
  });

  it('warns when fewer than two have an address, or all share one address', () => {
    assert.equal(judge([server('ns1.x.nl', '203.0.113.1'), server('ns2.x.nl')]).summaryKey, 'checks.dns.nameservers.unresolvable');
    assert.equal(judge([server('ns1.x.nl', '203.0.113.1'), server('ns2.x.nl', '203.0.113.1')]).summaryKey, 'checks.dns.nameservers.same_address');
  });

  it('is a notice when all addresses are in one network', () => {
    const result = judge([server('ns1.x.nl', '203.0.113.1'), server('ns2.x.nl', '203.0.113.2')]);
    assert.equal(result.status, 'notice');
    assert.equal(result.summaryParams.network, '203.0.113.0/24');
  });

  it('reports a missing zone as an error', () => {
    assert.equal(judge([], { zone: null, lookups: [{ name: 'bakkerij.nl', status: 'nxdomain', failure: null }] }).summaryKey, 'checks.dns.nameservers.none');
    assert.equal(judge([], { zone: null, lookups: [{ name: 'bakkerij.nl', status: 'error', failure: 'servfail' }] }).summaryKey, 'checks.dns.reason.dns_servfail');
  });

  it('groups addresses by IPv4 /24 and IPv6 /48', () => {
    assert.equal(networkOf('192.0.2.77'), '192.0.2.0/24');
    assert.equal(networkOf('2a01:7c8:dddd:195::195'), '2a01:7c8:dddd::/48');
    assert.equal(networkOf('2001:db8::1'), '2001:db8:0::/48');
  });
});
