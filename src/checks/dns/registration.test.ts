import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegistrationEvidence } from '../../evidence/dns/registration-evidence.ts';
import { dnsRegistrationCheck } from './registration.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (data: Partial<RegistrationEvidence>) =>
  dnsRegistrationCheck.judge(
    {
      domain: 'www.bakkerij.com',
      registeredDomain: 'bakkerij.com',
      outcome: 'found',
      failure: null,
      bootstrapUrl: 'https://data.iana.org/rdap/dns.json',
      rdapUrl: 'https://rdap.verisign.com/com/v1/domain/bakkerij.com',
      httpStatus: 200,
      expiration: '2027-06-01T00:00:00.000Z',
      registration: '2010-06-01T00:00:00.000Z',
      lastChanged: null,
      registrar: 'Registrar B.V.',
      statuses: ['client transfer prohibited'],
      ...data,
    },
    { now },
  );

describe('dns.registration', () => {
  it('passes a registration that runs more than 30 days', () => {
    const result = judge({});
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.date, '2027-06-01');
    assert.equal(result.summaryParams.domain, 'bakkerij.com');
  });

  it('warns within 30 days and fails once expired', () => {
    const soon = judge({ expiration: '2026-12-20T00:00:00.000Z' });
    assert.equal(soon.status, 'warn');
    assert.equal(soon.summaryParams.days, 15);
    const expired = judge({ expiration: '2026-11-30T00:00:00.000Z' });
    assert.equal(expired.status, 'fail');
    assert.equal(expired.severity, 'high');
    assert.equal(expired.summaryParams.days, 5);
  });

  it('is information only when the expiry is unknown', () => {
    assert.equal(judge({ expiration: null }).summaryKey, 'checks.dns.registration.no_expiry');
    assert.equal(judge({ outcome: 'failed', failure: 'timeout', expiration: null }).status, 'info');
    assert.equal(judge({ outcome: 'no_service', expiration: null }).summaryParams.tld, 'com');
    assert.equal(judge({ outcome: 'not_found', expiration: null }).status, 'info');
    assert.equal(judge({ outcome: 'off', expiration: null }).summaryKey, 'checks.dns.registration.off');
  });
});
