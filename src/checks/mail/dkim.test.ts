import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dkimEvidence, now, verdict } from '../../../test/mailservers/evidence.ts';
import { ed25519DkimKey, rsaDkimKey } from '../../../test/mailservers/keys.ts';
import { mailDkimCheck } from './dkim.ts';

const judge = (evidence: Parameters<typeof mailDkimCheck.judge>[0]) => verdict(mailDkimCheck.judge(evidence, { now }));
const rsa2048 = rsaDkimKey(2048);
const rsa1024 = rsaDkimKey(1024);
const rsa512 = rsaDkimKey(512);

describe('mail.dkim', () => {
  it('passes for a 2048-bit RSA key and for Ed25519', () => {
    assert.deepEqual(judge(dkimEvidence([{ selector: 'selector1', txt: [`v=DKIM1; k=rsa; p=${rsa2048}`] }, { selector: 'google' }])), ['pass', 'dkim.pass']);
    const result = mailDkimCheck.judge(dkimEvidence([{ selector: 'default', txt: [`v=DKIM1; k=ed25519; p=${ed25519DkimKey()}`] }]), { now });
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryParams.selectors, 'default');
    assert.deepEqual((result.details.keys as Array<{ keyType: string }>).map((key) => key.keyType), ['ed25519']);
  });

  it('fails RSA under 1024 bits and warns at 1024', () => {
    const weak = mailDkimCheck.judge(dkimEvidence([{ selector: 'k1', txt: [`v=DKIM1; p=${rsa512}`] }, { selector: 's1', txt: [`v=DKIM1; p=${rsa2048}`] }]), { now });
    assert.deepEqual(verdict(weak), ['fail', 'dkim.weak_key']);
    assert.equal(weak.severity, 'high');
    assert.equal(weak.summaryParams.bits, 512);
    assert.deepEqual(judge(dkimEvidence([{ selector: 'default', txt: [`v=DKIM1; p=${rsa1024}`] }])), ['warn', 'dkim.short_key']);
  });

  it('warns about broken records and SHA-1-only keys, notices test keys', () => {
    assert.deepEqual(judge(dkimEvidence([{ selector: 'x', txt: ['v=DKIM1; k=rsa; p=AAAA'] }])), ['warn', 'dkim.invalid_record']);
    assert.deepEqual(judge(dkimEvidence([{ selector: 'x', txt: [`v=DKIM1; h=sha1; p=${rsa2048}`] }])), ['warn', 'dkim.sha1_only']);
    assert.deepEqual(judge(dkimEvidence([{ selector: 'x', txt: [`v=DKIM1; t=y; p=${rsa2048}`] }])), ['notice', 'dkim.testing']);
  });

  it('ignores TXT records that are not DKIM (a wildcard SPF record answers every selector)', () => {
    const evidence = dkimEvidence([{ selector: 'selector1', txt: ['v=spf1 -all'] }, { selector: 'google', txt: ['v=spf1 -all'] }]);
    assert.deepEqual(judge(evidence), ['notice', 'dkim.not_found']);
  });

  it('treats revoked keys as no key', () => {
    assert.deepEqual(judge(dkimEvidence([{ selector: 'selector1', txt: ['v=DKIM1; p='] }])), ['notice', 'dkim.not_found']);
  });

  it('adapts the missing-key verdict to the mail provider and to what DNS proves', () => {
    const none = [{ selector: 'selector1' }, { selector: 'selector2' }, { selector: 'google' }];
    assert.deepEqual(judge(dkimEvidence(none, { mxHosts: ['bakkerij-nl.mail.protection.outlook.com'] })), ['warn', 'dkim.missing_microsoft365']);
    assert.deepEqual(judge(dkimEvidence(none, { mxHosts: ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'] })), ['warn', 'dkim.missing_google']);
    assert.deepEqual(judge(dkimEvidence(none, { domainkeyNode: { status: 'nxdomain', failure: null } })), ['warn', 'dkim.missing']);
    assert.deepEqual(judge(dkimEvidence(none)), ['notice', 'dkim.not_found']);
  });

  it('is informational for a domain without MX and an error when DNS failed everywhere', () => {
    assert.deepEqual(judge(dkimEvidence([{ selector: 'selector1' }], { mxHosts: [] })), ['info', 'dkim.none_no_mail']);
    assert.deepEqual(judge(dkimEvidence([{ selector: 'selector1', status: 'error' }, { selector: 'google', status: 'error' }])), ['error', 'dkim.lookup_failed']);
  });
});
