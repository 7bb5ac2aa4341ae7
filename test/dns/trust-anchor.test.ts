// Trust anchors: the shipped IANA root anchors match the root's published keys, and the
// zone-file parser takes DS and DNSKEY records and refuses anything else with a line number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.ts';
import { dsDigest, dsMatchesKey, keyTag } from '../../src/net/dnssec/signatures.ts';
import { parseTrustAnchors, rootTrustAnchors } from '../../src/net/dnssec/trust-anchor.ts';

// The root zone's key-signing keys as published (KSK-2017 and KSK-2024), from the root zone.
const rootKeys = `
. IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=
. IN DNSKEY 257 3 8 ( AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc= ) ; KSK-2024
`;

describe('trust anchors', () => {
  it('ships the IANA root DS records, which match the root key-signing keys', () => {
    const [root] = rootTrustAnchors();
    assert.equal(root?.owner, '.');
    assert.deepEqual(root?.ds.map((ds) => ds.keyTag), [20326, 38696]);
    const [keys] = parseTrustAnchors(rootKeys);
    assert.deepEqual(keys?.keys.map(keyTag), [20326, 38696]);
    for (const [index, ds] of (root?.ds ?? []).entries()) {
      const key = keys?.keys[index];
      assert.ok(key && dsMatchesKey('.', ds, key), `DS ${ds.keyTag} matches its key`);
    }
    assert.equal(dsDigest('.', keys!.keys[0]!, 2)?.toString('hex').toUpperCase(), 'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
    assert.equal(dsDigest('.', keys!.keys[0]!, 3), undefined, 'GOST digests are not supported');
  });

  it('parses DS and DNSKEY records with TTL, class, comments, $ORIGIN and parentheses', () => {
    const anchors = parseTrustAnchors(`
      $ORIGIN example.
      @ 3600 IN DS 1234 13 2 ( 0011223344556677
                               8899AABBCCDDEEFF ) ; split digest
      sub IN 60 DNSKEY 257 3 13 AAAA
      other.test. DS 1 8 1 00ff
    `);
    assert.deepEqual(anchors.map((anchor) => anchor.owner), ['example', 'sub.example', 'other.test']);
    assert.equal(anchors[0]?.ds[0]?.digest.toString('hex'), '00112233445566778899aabbccddeeff');
    assert.equal(anchors[1]?.keys[0]?.flags, 257);
  });

  it('refuses what is not a DS or DNSKEY record, naming the line', () => {
    const refusal = (text: string) => {
      try {
        parseTrustAnchors(text);
      } catch (error) {
        assert.ok(error instanceof AppError && error.code === 'validation');
        return error.params;
      }
      assert.fail(`accepted ${text}`);
    };
    assert.equal(refusal('\n\nexample. IN A 192.0.2.1').line, 3);
    assert.equal(refusal('example. IN DS 1 8 2 XYZ').reason, 'digest must be hexadecimal');
    assert.equal(refusal('example IN DS 1 8 2 00').reason, 'owner name must end with a dot');
    assert.equal(refusal('example. IN DNSKEY 257 2 8 AAAA').reason, 'protocol must be 3');
    assert.equal(refusal('example. CH DS 1 8 2 00').reason, 'class must be IN');
    assert.equal(refusal('; only a comment').reason, 'no DS or DNSKEY record');
    assert.equal(refusal('example. IN DS ( 1 8 2 00').reason, 'unbalanced parenthesis');
  });
});
