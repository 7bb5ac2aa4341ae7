import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FixtureInternet, startFixtureInternet } from '../../../test/fixtures/fixture-internet.ts';
import { createResolver } from '../../net/resolver.ts';
import { certificateEvidenceSchema } from './certificate-evidence.ts';
import { gatherCertificateEvidence } from './certificate.ts';

describe('gatherCertificateEvidence', () => {
  let fixture: FixtureInternet;
  let gather: (domain: string, overrides?: { allowPrivate?: boolean; extraCa?: string[]; timeoutMs?: number }) => ReturnType<typeof gatherCertificateEvidence>;

  before(async () => {
    fixture = await startFixtureInternet();
    const resolver = createResolver(fixture.resolver, 1000);
    gather = (domain, overrides = {}) =>
      gatherCertificateEvidence(domain, {
        resolver,
        allowPrivate: overrides.allowPrivate ?? true,
        timeoutMs: overrides.timeoutMs ?? 2000,
        port: fixture.httpsPort,
        extraCa: overrides.extraCa ?? [fixture.caPem],
      });
  });
  after(() => fixture.close());

  it('records a trusted certificate that matches the host', async () => {
    const { kind, gatheredAt, data } = await gather(fixture.sites.valid.domain);
    assert.equal(kind, 'tls.certificate');
    assert.ok(!Number.isNaN(Date.parse(gatheredAt)));
    assert.equal(data.error, null);
    assert.equal(data.address, fixture.sites.valid.address);
    assert.deepEqual(data.addresses, [fixture.sites.valid.address]);
    assert.ok(data.tls);
    assert.equal(data.tls.chainTrusted, true);
    assert.equal(data.tls.chainError, null);
    assert.equal(data.tls.hostnameMatches, true);
    assert.equal(data.tls.protocol, 'TLSv1.3');
    const certificate = data.tls.certificate;
    assert.equal(certificate.subject, 'CN=valid.example.test');
    assert.equal(certificate.issuer, 'CN=Cybermonitor Test CA');
    assert.deepEqual(certificate.subjectAltNames, ['DNS:valid.example.test', 'DNS:www.valid.example.test']);
    assert.equal(certificate.keyType, 'ec');
    assert.equal(certificate.keyCurve, 'prime256v1');
    assert.equal(certificate.keyBits, 256);
    assert.equal(certificate.signatureAlgorithm, 'ecdsa-with-SHA256');
    assert.equal(certificate.selfSigned, false);
    assert.match(certificate.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(Date.parse(certificate.validTo) > Date.now());
    assert.deepEqual(
      data.tls.chain.map((link) => link.subject),
      ['CN=valid.example.test', 'CN=Cybermonitor Test CA'],
    );
    certificateEvidenceSchema.parse(data);
  });

  it('does not trust the test CA unless told to', async () => {
    const { data } = await gather(fixture.sites.valid.domain, { extraCa: [] });
    assert.equal(data.tls?.chainTrusted, false);
    assert.equal(data.tls?.chainError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('records expiry, name mismatch, self-signing and premature validity', async () => {
    const expired = (await gather(fixture.sites.expired.domain)).data.tls;
    assert.equal(expired?.chainError, 'CERT_HAS_EXPIRED');
    assert.ok(Date.parse(expired.certificate.validTo) < Date.now());

    const wrongHost = (await gather(fixture.sites.wrongHost.domain)).data.tls;
    assert.equal(wrongHost?.chainTrusted, true);
    assert.equal(wrongHost.hostnameMatches, false);
    assert.equal(wrongHost.hostnameError, 'ERR_TLS_CERT_ALTNAME_INVALID');

    const selfSigned = (await gather(fixture.sites.selfSigned.domain)).data.tls;
    assert.equal(selfSigned?.chainTrusted, false);
    assert.equal(selfSigned.chainError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(selfSigned.certificate.selfSigned, true);
    assert.equal(selfSigned.hostnameMatches, true);

    const notYetValid = (await gather(fixture.sites.notYetValid.domain)).data.tls;
    assert.equal(notYetValid?.chainError, 'CERT_NOT_YET_VALID');
  });

  it('turns DNS failures into reasons', async () => {
    const unknown = (await gather(fixture.unknownDomain)).data;
    assert.equal(unknown.error, 'no_address');
    assert.equal(unknown.address, null);
    const silent = (await gather(fixture.dnsTimeoutDomain)).data;
    assert.equal(silent.error, 'dns_timeout');
  });

  it('refuses loopback targets unless private targets are allowed, without connecting', async () => {
    const { data } = await gather(fixture.sites.valid.domain, { allowPrivate: false });
    assert.equal(data.error, 'target_refused');
    assert.equal(data.address, null);
    assert.equal(data.tls, null);
    assert.deepEqual(data.refusedAddresses, [fixture.sites.valid.address]);
  });

  it('turns connection failures into reasons within the deadline', async () => {
    const refused = (await gather(fixture.sites.refused.domain)).data;
    assert.equal(refused.error, 'connection_refused');
    assert.equal(refused.address, fixture.sites.refused.address);

    const plaintext = (await gather(fixture.sites.plaintext.domain)).data;
    assert.equal(plaintext.error, 'handshake_failed');

    const started = Date.now();
    const silent = (await gather(fixture.sites.silent.domain, { timeoutMs: 300 })).data;
    assert.equal(silent.error, 'timeout');
    assert.equal(silent.errorDetail, 'handshake');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });
});
