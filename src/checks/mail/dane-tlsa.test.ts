import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createTestCa } from '../../../test/fixtures/test-pki.ts';
import { certificateDigests } from '../../evidence/mail-servers/certificates.ts';
import { type CertificateDigests, isUsableForSmtp, type TlsaRecord, tlsaMatchesChain } from './dane-tlsa.ts';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const record = (usage: number, selector: number, matchingType: number, data: Buffer | string): TlsaRecord => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'hex') : data;
  return { usage, selector, matchingType, data: bytes.toString('hex'), dataSha256: sha256(bytes) };
};

describe('DANE TLSA matching (RFC 7672)', () => {
  let chain: CertificateDigests[];
  let leafDer: Buffer;
  let caDer: Buffer;
  let otherDigests: CertificateDigests;

  before(async () => {
    const ca = await createTestCa('DANE Test CA');
    const leaf = await ca.issue({ names: ['mx.dane.test'] });
    leafDer = new X509Certificate(leaf.certPem).raw;
    caDer = new X509Certificate(ca.certPem).raw;
    chain = [certificateDigests(leafDer), certificateDigests(caDer)];
    const other = await ca.issue({ names: ['mx.dane.test'] });
    otherDigests = certificateDigests(new X509Certificate(other.certPem).raw);
  });

  it('matches DANE-EE 3 1 1 (the common form) and 3 0 1, 3 1 2, 3 0 0', () => {
    assert.equal(tlsaMatchesChain(record(3, 1, 1, chain[0]!.spkiSha256), chain), true);
    assert.equal(tlsaMatchesChain(record(3, 0, 1, chain[0]!.certSha256), chain), true);
    assert.equal(tlsaMatchesChain(record(3, 1, 2, chain[0]!.spkiSha512), chain), true);
    assert.equal(tlsaMatchesChain(record(3, 0, 0, leafDer), chain), true);
  });

  it('matches DANE-TA 2 0 1 against an issuer, never against the leaf', () => {
    assert.equal(tlsaMatchesChain(record(2, 0, 1, chain[1]!.certSha256), chain), true);
    assert.equal(tlsaMatchesChain(record(2, 0, 1, chain[0]!.certSha256), chain), false);
    assert.equal(tlsaMatchesChain(record(2, 0, 0, caDer), chain), true);
  });

  it('does not match another key or certificate', () => {
    assert.equal(tlsaMatchesChain(record(3, 1, 1, otherDigests.spkiSha256), chain), false);
    assert.equal(tlsaMatchesChain(record(3, 1, 1, chain[0]!.spkiSha256), []), false);
  });

  it('treats PKIX-TA/PKIX-EE and unknown parameters as unusable for SMTP', () => {
    assert.equal(isUsableForSmtp(record(1, 1, 1, chain[0]!.spkiSha256)), false);
    assert.equal(tlsaMatchesChain(record(1, 1, 1, chain[0]!.spkiSha256), chain), false);
    assert.equal(isUsableForSmtp(record(0, 0, 1, chain[1]!.certSha256)), false);
    assert.equal(isUsableForSmtp(record(3, 2, 1, 'aa')), false);
    assert.equal(isUsableForSmtp(record(3, 1, 3, 'aa')), false);
    assert.equal(isUsableForSmtp(record(2, 1, 2, 'aa')), true);
  });
});
