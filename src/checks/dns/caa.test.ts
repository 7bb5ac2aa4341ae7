import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaaEvidence } from '../../evidence/dns/caa-evidence.ts';
import { hasMessage } from '../../i18n/index.ts';
import { dnsCaaCheck, issuerOf } from './caa.ts';

const now = new Date('2026-12-04T12:00:00Z');
const judge = (data: Partial<CaaEvidence>) =>
  dnsCaaCheck.judge({ domain: 'shop.bakkerij.nl', lookups: [{ name: 'shop.bakkerij.nl', status: 'nodata', failure: null }], foundAt: null, records: [], ...data }, { now });

describe('dns.caa', () => {
  it('passes CAA records that name the allowed authorities, found at a parent', () => {
    const result = judge({
      lookups: [
        { name: 'shop.bakkerij.nl', status: 'nodata', failure: null },
        { name: 'bakkerij.nl', status: 'ok', failure: null },
      ],
      foundAt: 'bakkerij.nl',
      records: [
        { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
        { flags: 0, tag: 'issuewild', value: 'sectigo.com; validationmethods=dns-01' },
        { flags: 0, tag: 'iodef', value: 'mailto:security@bakkerij.nl' },
      ],
    });
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.issuers, 'letsencrypt.org, sectigo.com');
    assert.equal(result.details.iodef, true);
  });

  it('is a notice when there are no CAA records', () => {
    const result = judge({});
    assert.equal(result.status, 'notice');
    assert.equal(result.summaryKey, 'checks.dns.caa.missing');
  });

  it('warns about a critical property no CA understands: renewals would fail', () => {
    const result = judge({ foundAt: 'shop.bakkerij.nl', records: [{ flags: 128, tag: 'tbs', value: 'x' }, { flags: 0, tag: 'issue', value: 'letsencrypt.org' }] });
    assert.equal(result.status, 'warn');
    assert.equal(result.summaryParams.tags, 'tbs');
  });

  it('notes CAA without issue properties, and an empty issue meaning no CA at all', () => {
    assert.equal(judge({ foundAt: 'shop.bakkerij.nl', records: [{ flags: 0, tag: 'iodef', value: 'mailto:a@b.nl' }] }).summaryKey, 'checks.dns.caa.no_issue');
    assert.equal(judge({ foundAt: 'shop.bakkerij.nl', records: [{ flags: 0, tag: 'issue', value: ';' }] }).summaryKey, 'checks.dns.caa.no_ca');
    assert.equal(issuerOf(' LetsEncrypt.org ; accounturi=x'), 'letsencrypt.org');
  });

  it('reports a failed lookup as an error', () => {
    const result = judge({ lookups: [{ name: 'shop.bakkerij.nl', status: 'error', failure: 'timeout' }] });
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.dns.reason.dns_timeout');
    for (const key of [result.summaryKey, 'checks.dns.caa.title', 'checks.dns.caa.remediation']) for (const language of ['nl', 'en'] as const) assert.ok(hasMessage(language, key));
  });
});
