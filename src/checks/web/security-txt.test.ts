import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMessage } from '../../i18n/index.ts';
import { armoredSignature, clearSign, signaturePacket } from '../../../test/leaks/pgp-armor.ts';
import { securityTxtEvidence, securityTxtFetch } from '../../../test/leaks/evidence-builders.ts';
import type { CheckResult } from '../types.ts';
import { webSecurityTxtCheck } from './security-txt.ts';
import { crc24, parseSecurityTxt } from './security-txt-parse.ts';

const now = new Date('2026-12-04T12:00:00Z');
const fingerprint = '0123456789ABCDEF0123456789ABCDEF01234567';
const good = 'Contact: mailto:security@example.nl\nContact: https://example.nl/security\nExpires: 2027-06-30T22:00:00.000Z\nPreferred-Languages: nl, en\nCanonical: https://shop.example.nl/.well-known/security.txt\nPolicy: https://example.nl/cvd\n';

const judge = (evidence: Parameters<typeof webSecurityTxtCheck.judge>[0]): CheckResult => {
  const result = webSecurityTxtCheck.judge(evidence, { now });
  assert.ok(hasMessage('nl', result.summaryKey) && hasMessage('en', result.summaryKey), result.summaryKey);
  return result;
};

describe('parseSecurityTxt', () => {
  it('reads fields case-insensitively, skips comments, and collects repeated Contact lines', () => {
    const parsed = parseSecurityTxt(`# Our policy\r\nCONTACT: mailto:a@example.nl\r\ncontact: tel:+31-20-1234567\r\nExpires: 2027-01-01T00:00:00+01:00\r\nX-Custom: ignored\r\n`);
    assert.deepEqual(parsed.contacts, ['mailto:a@example.nl', 'tel:+31-20-1234567']);
    assert.equal(parsed.expiresAt, '2026-12-31T23:00:00.000Z');
    assert.equal(parsed.signed, false);
    assert.deepEqual(parsed.problems, []);
  });

  it('reports the required fields missing, duplicate or malformed', () => {
    assert.deepEqual(parseSecurityTxt('Policy: https://example.nl/p\n').problems.map((problem) => problem.code), ['no_contact', 'no_expires']);
    assert.deepEqual(parseSecurityTxt('Contact: mailto:a@b.nl\nExpires: 2027-01-01T00:00:00Z\nExpires: 2028-01-01T00:00:00Z\n').problems.map((problem) => problem.code), ['multiple_expires']);
    assert.deepEqual(parseSecurityTxt('Contact: mailto:a@b.nl\nExpires: 31-12-2027\n').problems.map((problem) => problem.code), ['invalid_expires']);
    assert.deepEqual(parseSecurityTxt('Contact: http://example.nl/report\nExpires: 2027-01-01T00:00:00Z\n').problems.map((problem) => problem.code), ['insecure_uri']);
  });

  it('unwraps a cleartext-signed file and describes its signature packet', () => {
    const parsed = parseSecurityTxt(clearSign(`${good}-dash line is escaped\n`, { created: new Date('2026-11-01T10:00:00Z'), fingerprint }));
    assert.equal(parsed.signed, true);
    assert.equal(parsed.signedHash, 'SHA256');
    assert.equal(parsed.contacts.length, 2);
    assert.deepEqual(parsed.signature, {
      version: 4,
      signatureType: 1,
      publicKeyAlgorithm: 'EdDSA',
      hashAlgorithm: 'SHA256',
      created: '2026-11-01T10:00:00.000Z',
      issuerKeyId: '89ABCDEF01234567',
      issuerFingerprint: fingerprint,
      checksumValid: true,
    });
    assert.ok(!parsed.problems.some((problem) => problem.code === 'signature_malformed'));
  });

  it('notices a wrong armor checksum and a damaged signature block', () => {
    const packet = signaturePacket({ created: now, fingerprint });
    const wrongChecksum = parseSecurityTxt(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${good}${armoredSignature(packet, { corruptChecksum: true })}\n`);
    assert.equal(wrongChecksum.signature?.checksumValid, false);
    const damaged = parseSecurityTxt(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${good}-----BEGIN PGP SIGNATURE-----\n\n!!!notbase64\n-----END PGP SIGNATURE-----\n`);
    assert.deepEqual(damaged.problems.map((problem) => problem.code), ['signature_malformed']);
    assert.equal(damaged.contacts.length, 2);
  });

  it('computes the RFC 4880 CRC-24 (empty input gives the initial value)', () => {
    assert.equal(crc24(new Uint8Array()), 0xb704ce);
  });
});

describe('web.security-txt', () => {
  it('passes a complete file, and says when it is signed', () => {
    const plain = judge(securityTxtEvidence(securityTxtFetch(good)));
    assert.equal(plain.status, 'pass');
    assert.equal(plain.summaryParams.date, '2027-06-30');
    const signed = judge(securityTxtEvidence(securityTxtFetch(clearSign(good, { created: now, fingerprint }))));
    assert.equal(signed.summaryKey, 'checks.web.security-txt.pass_signed');
    assert.equal((signed.details.signature as { issuerFingerprint: string }).issuerFingerprint, fingerprint);
  });

  it('warns for an expired file, and for missing Contact or Expires', () => {
    const expired = judge(securityTxtEvidence(securityTxtFetch(good.replace('2027-06-30T22:00:00.000Z', '2026-01-31T23:00:00Z'))));
    assert.equal(expired.status, 'warn');
    assert.equal(expired.summaryKey, 'checks.web.security-txt.expired');
    assert.equal(expired.summaryParams.date, '2026-01-31');
    assert.equal(judge(securityTxtEvidence(securityTxtFetch('Expires: 2027-06-30T22:00:00Z\nPolicy: https://example.nl/p\n'))).summaryKey, 'checks.web.security-txt.no_contact');
    assert.equal(judge(securityTxtEvidence(securityTxtFetch('Contact: mailto:a@example.nl\n'))).summaryKey, 'checks.web.security-txt.no_expires');
  });

  it('gives a notice when it is missing, including a soft 404 that serves HTML', () => {
    const missing = judge(securityTxtEvidence(securityTxtFetch(null), securityTxtFetch(null, { url: 'https://shop.example.nl/security.txt' })));
    assert.equal(missing.status, 'notice');
    assert.equal(missing.summaryKey, 'checks.web.security-txt.missing');
    const soft = judge(securityTxtEvidence(securityTxtFetch('<!doctype html><title>Home</title>\nContact: us', { contentType: 'text/html' })));
    assert.equal(soft.summaryKey, 'checks.web.security-txt.missing');
  });

  it('notices an expiry more than a year ahead, a legacy location, a wrong content type', () => {
    assert.equal(judge(securityTxtEvidence(securityTxtFetch(good.replace('2027-06-30T22:00:00.000Z', '2028-06-30T22:00:00Z')))).summaryKey, 'checks.web.security-txt.expires_far');
    const legacy = judge(securityTxtEvidence(securityTxtFetch(null), securityTxtFetch(good.replace(/Canonical.*\n/, ''), { url: 'https://shop.example.nl/security.txt' })));
    assert.equal(legacy.summaryKey, 'checks.web.security-txt.legacy_location');
    const contentType = judge(securityTxtEvidence(securityTxtFetch(good, { contentType: 'text/plain' })));
    assert.equal(contentType.summaryKey, 'checks.web.security-txt.content_type');
  });

  it('reports an error when the site cannot be reached at all', () => {
    const result = judge(securityTxtEvidence(securityTxtFetch(null, { status: null, error: 'connection_refused', contentType: null })));
    assert.equal(result.status, 'error');
  });
});
