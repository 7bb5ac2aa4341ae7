import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MxHost } from '../../evidence/mail-servers/mx-evidence.ts';
import { failedSession, host, mxEvidence, now, tlsSession, verdict } from '../../../test/mailservers/evidence.ts';
import { mailDaneCheck } from './dane.ts';

const judge = (evidence: Parameters<typeof mailDaneCheck.judge>[0]) => verdict(mailDaneCheck.judge(evidence, { now }));
// tlsSession() presents a leaf whose SPKI SHA-256 is '"a1" repeated' and an issuer 'b…'.
const leafSpki = 'a1'.repeat(32);
const tlsa = (records: Array<[number, number, number, string]>, secure: boolean | null = null): MxHost['tlsa'] => ({
  status: 'ok',
  failure: null,
  secure,
  records: records.map(([usage, selector, matchingType, data]) => ({ usage, selector, matchingType, data, dataSha256: '00'.repeat(32) })),
});

describe('mail.dane', () => {
  it('passes when every MX has DNSSEC-validated TLSA records matching its certificate', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession(), tlsa([[3, 1, 1, leafSpki]], true))])), ['pass', 'dane.pass']);
  });

  it('reports matching TLSA presence when DNSSEC is not known here', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession(), tlsa([[3, 1, 1, leafSpki]]))])), ['pass', 'dane.present']);
  });

  it('fails when the TLSA records do not match the certificate served', () => {
    const result = mailDaneCheck.judge(mxEvidence([host('mx.bakkerij.nl', tlsSession(), tlsa([[3, 1, 1, 'ff'.repeat(32)]], true))]), { now });
    assert.deepEqual(verdict(result), ['fail', 'dane.mismatch']);
    assert.equal(result.severity, 'high');
  });

  it('warns about records unusable for SMTP and about MX hosts left out', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession(), tlsa([[1, 1, 1, leafSpki]]))])), ['warn', 'dane.unusable_records']);
    assert.deepEqual(
      judge(mxEvidence([host('mx1.bakkerij.nl', tlsSession(), tlsa([[3, 1, 1, leafSpki]])), host('mx2.bakkerij.nl', tlsSession())])),
      ['warn', 'dane.partial'],
    );
  });

  it('notices TLSA records it could not compare with an unreachable server', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', failedSession('timeout'), tlsa([[3, 1, 1, leafSpki]]))])), ['notice', 'dane.unverified']);
  });

  it('does not blame hosted mail for the provider', () => {
    assert.deepEqual(judge(mxEvidence([host('aspmx.l.google.com', tlsSession()), host('alt1.aspmx.l.google.com', tlsSession())])), ['info', 'dane.provider_google']);
    assert.deepEqual(judge(mxEvidence([host('bakkerij-nl.mail.protection.outlook.com', tlsSession())])), ['notice', 'dane.provider_microsoft']);
  });

  it('notices missing DANE on an own server, warns when the zone is signed', () => {
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession())])), ['notice', 'dane.absent']);
    const signed = host('mx.bakkerij.nl', tlsSession(), { status: 'nodata', failure: null, records: [], secure: true });
    assert.deepEqual(judge(mxEvidence([signed])), ['warn', 'dane.absent_signed']);
  });

  it('is informational without MX, an error when TLSA lookups failed', () => {
    assert.deepEqual(judge(mxEvidence([])), ['info', 'mx.no_mx']);
    assert.deepEqual(judge(mxEvidence([host('mx.bakkerij.nl', tlsSession(), { status: 'error', failure: 'timeout', records: [], secure: null })])), ['error', 'dane.lookup_failed']);
  });
});
