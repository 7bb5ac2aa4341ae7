// DNSSEC validation against a real bind9 serving signed and unsigned zones: secure chains with
// four algorithms, NSEC and NSEC3 (opt-out) denial, a wrong DS, expired signatures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRawDnsClient, parseServer } from '../../src/net/dnssec/transport.ts';
import { parseTrustAnchors, type TrustAnchor } from '../../src/net/dnssec/trust-anchor.ts';
import { validateDomain } from '../../src/net/dnssec/validator.ts';
import { decodeDnskey } from '../../src/net/dnssec/rdata.ts';
import { signaturesFor, verifyRrset } from '../../src/net/dnssec/signatures.ts';
import { RecordType } from '../../src/net/dnssec/wire.ts';
import type { Bind9Server } from '../fixtures/bind9.ts';
import { fixtureDomains, startDnsWorld } from './dns-world.ts';

describe('validateDomain against bind9', () => {
  let dns: Bind9Server;
  let anchors: TrustAnchor[];
  const validate = (domain: string, now = new Date()) =>
    validateDomain(domain, { client: createRawDnsClient({ servers: [parseServer(dns.address)], timeoutMs: 2000 }), anchors, now });

  before(async () => {
    dns = await startDnsWorld();
    anchors = parseTrustAnchors(dns.trustAnchor);
  });
  after(() => dns?.close());

  it('validates a signed zone below the anchor as secure', async () => {
    const result = await validate(fixtureDomains.secure);
    assert.equal(result.status, 'secure', JSON.stringify(result));
    assert.equal(result.zone, fixtureDomains.secure);
    assert.deepEqual(result.chain.map((step) => [step.zone, step.via]), [['test', 'anchor'], ['secure.test', 'ds']]);
    assert.deepEqual(result.chain[0]?.algorithms, [15]);
    assert.deepEqual(result.chain[1]?.algorithms, [13]);
    assert.ok(result.signaturesExpire && Date.parse(result.signaturesExpire) > Date.now());
  });

  it('validates RSA/SHA-256 with NSEC3 and ECDSA P-384 zones', async () => {
    assert.equal((await validate(fixtureDomains.nsec3)).status, 'secure');
    const p384 = await validate(fixtureDomains.p384);
    assert.equal(p384.status, 'secure', JSON.stringify(p384));
    assert.deepEqual(p384.chain[1]?.algorithms, [14]);
  });

  it('walks through names inside a zone and empty non-terminals (NSEC and NSEC3)', async () => {
    const inside = await validate(`a.b.${fixtureDomains.secure}`);
    assert.equal(inside.status, 'secure', JSON.stringify(inside));
    assert.equal(inside.zone, fixtureDomains.secure);
    const nsec3Inside = await validate(`www.${fixtureDomains.nsec3}`);
    assert.equal(nsec3Inside.status, 'secure', JSON.stringify(nsec3Inside));
  });

  it('walks through names a wildcard answers for (NSEC and NSEC3)', async () => {
    const nsec = await validate(`shop.wild.${fixtureDomains.secure}`);
    assert.equal(nsec.status, 'secure', JSON.stringify(nsec));
    const nsec3 = await validate(`shop.wild.${fixtureDomains.nsec3}`);
    assert.equal(nsec3.status, 'secure', JSON.stringify(nsec3));
  });

  it('calls an unsigned delegation insecure, proven with NSEC and with NSEC3 opt-out', async () => {
    const insecure = await validate(fixtureDomains.insecure);
    assert.equal(insecure.status, 'insecure', JSON.stringify(insecure));
    assert.equal(insecure.reason, 'unsigned_delegation');
    assert.equal(insecure.at, fixtureDomains.insecure);
    const optOut = await validate(fixtureDomains.optOutChild);
    assert.equal(optOut.status, 'insecure', JSON.stringify(optOut));
    assert.equal(optOut.at, fixtureDomains.optOutChild);
  });

  it('calls a DS that matches no key bogus', async () => {
    const result = await validate(fixtureDomains.bogusDs);
    assert.equal(result.status, 'bogus');
    assert.equal(result.reason, 'ds_mismatch');
    assert.equal(result.at, fixtureDomains.bogusDs);
  });

  it('calls expired signatures bogus', async () => {
    const result = await validate(fixtureDomains.expired);
    assert.equal(result.status, 'bogus');
    assert.equal(result.reason, 'signature_expired');
  });

  it('calls everything bogus when the clock is past the signatures', async () => {
    const result = await validate(fixtureDomains.secure, new Date(Date.now() + 400 * 24 * 3600 * 1000));
    assert.equal(result.status, 'bogus');
    assert.equal(result.reason, 'signature_expired');
  });

  it('verifies the signature itself: one changed byte in the signed data or the signature fails', async () => {
    const client = createRawDnsClient({ servers: [parseServer(dns.address)], timeoutMs: 2000 });
    const outcome = await client.query(fixtureDomains.secure, RecordType.SOA, { dnssec: true });
    assert.ok(outcome.ok);
    const soa = outcome.message.answers.filter((record) => record.type === RecordType.SOA);
    const [signature] = signaturesFor(outcome.message.answers, fixtureDomains.secure, RecordType.SOA);
    const keysOutcome = await client.query(fixtureDomains.secure, RecordType.DNSKEY, { dnssec: true });
    assert.ok(keysOutcome.ok && signature);
    const keys = keysOutcome.message.answers.filter((record) => record.type === RecordType.DNSKEY).map((record) => decodeDnskey(record.rdata));
    const now = new Date();
    assert.equal(verifyRrset(soa, signature, keys, fixtureDomains.secure, now).ok, true);
    // Case does not matter in names (the canonical form lowercases them), content does.
    assert.equal(verifyRrset(soa.map((record) => ({ ...record, name: record.name.toUpperCase() })), signature, keys, fixtureDomains.secure, now).ok, true);
    const changed = soa.map((record) => {
      const rdata = Buffer.from(record.rdata);
      rdata[rdata.length - 1] = (rdata[rdata.length - 1] as number) ^ 1;
      return { ...record, rdata };
    });
    assert.equal(verifyRrset(changed, signature, keys, fixtureDomains.secure, now).problem, 'signature_invalid');
    const badSignature = { ...signature, signature: Buffer.from(signature.signature.map((byte, index) => (index === 5 ? byte ^ 1 : byte))) };
    assert.equal(verifyRrset(soa, badSignature, keys, fixtureDomains.secure, now).problem, 'signature_invalid');
    assert.equal(verifyRrset(soa, signature, keys, 'test', now).problem, 'signer_mismatch');
    assert.equal(verifyRrset(soa, signature, [], fixtureDomains.secure, now).problem, 'no_matching_key');
  });

  it('refuses a trust anchor that does not match the zone', async () => {
    const wrong = parseTrustAnchors('test. IN DS 12345 15 2 0000000000000000000000000000000000000000000000000000000000000000');
    const result = await validateDomain(fixtureDomains.secure, { client: createRawDnsClient({ servers: [parseServer(dns.address)], timeoutMs: 2000 }), anchors: wrong, now: new Date() });
    assert.equal(result.status, 'bogus');
    assert.equal(result.reason, 'anchor_mismatch');
  });

  it('has nothing to say about a domain outside every anchor', async () => {
    const result = await validate('example.org');
    assert.equal(result.status, 'indeterminate');
    assert.equal(result.reason, 'no_trust_anchor');
  });

  it('reports a name that does not exist', async () => {
    const result = await validate('no-such-zone.test');
    assert.equal(result.status, 'indeterminate');
    assert.equal(result.reason, 'nxdomain');
  });
});
