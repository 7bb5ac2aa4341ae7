import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AliasFacts, DanglingCnameEvidence } from '../../evidence/dns/dangling-cname-evidence.ts';
import { dnsDanglingCnameCheck } from './dangling-cname.ts';

const now = new Date('2026-12-04T12:00:00Z');
const alias = (name: string, target: string, verdict: AliasFacts['verdict'], overrides: Partial<AliasFacts> = {}): AliasFacts => ({
  name,
  sources: ['common'],
  chain: [target],
  targetStatus: verdict === 'ok' ? 'resolves' : 'nxdomain',
  targetDomainExists: null,
  service: null,
  fingerprint: null,
  verdict,
  ...overrides,
});
const judge = (aliases: AliasFacts[], data: Partial<DanglingCnameEvidence> = {}) =>
  dnsDanglingCnameCheck.judge(
    {
      domain: 'x.nl',
      sources: { declared: 0, common: 38, certificateTransparency: { status: 'off', names: 0, detail: null } },
      checked: 38,
      failedCount: 0,
      failedLookups: [],
      aliases,
      ...data,
    },
    { now },
  );

describe('dns.dangling-cname', () => {
  it('fails (high) a confirmed takeover or an unregistered target domain', () => {
    const result = judge([alias('www.x.nl', 'x.nl', 'ok'), alias('old.x.nl', 'gone.azurewebsites.net', 'takeover', { service: 'azure' })]);
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.summaryParams.names, 'old.x.nl → gone.azurewebsites.net');
    assert.equal(judge([alias('m.x.nl', 'shop.expired-agency.nl', 'unregistered', { targetDomainExists: false })]).status, 'fail');
  });

  it('warns about an alias to a name that no longer exists at no known service', () => {
    const result = judge([alias('intranet.x.nl', 'intranet.partner.nl', 'dangling')]);
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryParams.count, 1);
  });

  it('passes when every alias points at an existing, claimed service', () => {
    const result = judge([alias('blog.x.nl', 'x-co.github.io', 'ok', { service: 'github-pages', fingerprint: { url: 'http://blog.x.nl/', status: 200, matched: null, failure: null } })]);
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.aliases, 1);
  });

  it('does not call a partly failed measurement clean', () => {
    assert.equal(judge([], { failedCount: 1, failedLookups: [{ name: 'www.x.nl', failure: 'timeout' }] }).status, 'info');
    const all = judge([], { checked: 38, failedCount: 38, failedLookups: [{ name: 'www.x.nl', failure: 'timeout' }] });
    assert.equal(all.status, 'error');
    assert.equal(all.summaryKey, 'checks.dns.reason.dns_timeout');
  });
});
