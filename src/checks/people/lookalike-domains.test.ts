import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LookalikeEvidence, RegisteredLookalike } from '../../evidence/lookalikes/lookalike-evidence.ts';
import { peopleLookalikeDomainsCheck } from './lookalike-domains.ts';

const now = new Date('2026-06-01T12:00:00.000Z');

function lookalike(name: string, fields: Partial<RegisteredLookalike> = {}): RegisteredLookalike {
  return { name, unicode: null, technique: 'omission', nameServers: ['ns1.parking.example'], addresses: [], mailExchangers: [], nullMx: false, likelyOwned: false, ...fields };
}

function evidence(registered: RegisteredLookalike[], fields: Partial<LookalikeEvidence> = {}): LookalikeEvidence {
  return {
    domain: 'bakkerij.nl',
    generated: 112,
    checked: 112,
    original: { nameServers: ['ns1.host.example', 'ns2.host.example'], mailExchangers: ['bakkerij-nl.mail.protection.outlook.com'] },
    registered,
    dnsFailures: 0,
    complete: true,
    error: null,
    ...fields,
  };
}

const judge = (data: LookalikeEvidence) => peopleLookalikeDomainsCheck.judge(data, { now });

describe('people.lookalike-domains', () => {
  it('passes when no lookalike is registered', () => {
    const result = judge(evidence([]));
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.checked, 112);
  });

  it('warns about registered lookalikes that have mail exchangers, listing them (IDN in both forms)', () => {
    const result = judge(
      evidence([
        lookalike('bakkerij.com', { technique: 'tld', mailExchangers: ['mx.parking.example'] }),
        lookalike('xn--bkkerij-2fg.nl', { unicode: 'bаkkerij.nl', technique: 'idn-homoglyph', mailExchangers: ['mail.evil.example'] }),
        lookalike('bakerij.nl'),
      ]),
    );
    assert.equal(result.status, 'warn');
    assert.equal(result.severity, 'medium');
    assert.equal(result.summaryParams.count, 2);
    assert.equal(result.summaryParams.names, 'bakkerij.com, bаkkerij.nl (xn--bkkerij-2fg.nl)');
  });

  it('does not warn about a null MX or a defensive registration of the company itself', () => {
    const result = judge(
      evidence([
        lookalike('bakkerij.be', { nullMx: true }),
        lookalike('bakkerij.com', { mailExchangers: ['bakkerij-nl.mail.protection.outlook.com'], likelyOwned: true }),
        lookalike('bakerij.nl'),
      ]),
    );
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.registered, 3);
  });

  it('is honest about an incomplete or failed lookup', () => {
    assert.equal(judge(evidence([], { complete: false, checked: 40 })).status, 'notice');
    assert.equal(judge(evidence([], { error: 'dns_failure' })).summaryKey, 'checks.reason.dns_failure');
    assert.equal(judge(evidence([], { error: 'not_registrable', domain: 'co.uk' })).status, 'error');
  });
});
