import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519DkimKey, rsaDkimKey } from '../../../test/mailservers/keys.ts';
import { parseDkimRecord, parseTagList } from './dkim-record.ts';

describe('parseTagList', () => {
  it('splits tags, trims whitespace, allows a trailing semicolon', () => {
    assert.deepEqual(parseTagList(' v = DKIM1 ; k=rsa;p=AB CD ;'), { tags: [['v', 'DKIM1'], ['k', 'rsa'], ['p', 'AB CD']] });
  });
  it('refuses text that is not a tag list and reports duplicates', () => {
    assert.equal(parseTagList('hello world'), undefined);
    assert.equal(parseTagList('v=DKIM1;;p=x'), undefined);
    assert.equal(parseTagList('9v=1'), undefined);
    assert.equal(parseTagList('p=a; p=b')?.duplicate, 'p');
  });
});

describe('parseDkimRecord', () => {
  it('reads an RSA key and its size', () => {
    const parsed = parseDkimRecord(`v=DKIM1; k=rsa; p=${rsaDkimKey(2048)}`);
    assert.deepEqual(parsed, { ok: true, key: { keyType: 'rsa', bits: 2048, revoked: false, testing: false, sha1Only: false } });
  });

  it('defaults to RSA, accepts a key split by whitespace and a bare PKCS#1 key', () => {
    const key = rsaDkimKey(1024);
    const spaced = `${key.slice(0, 50)} ${key.slice(50)}`;
    const parsed = parseDkimRecord(`p=${spaced}`);
    assert.ok(parsed.ok && parsed.key.bits === 1024);
    const pkcs1 = parseDkimRecord(`v=DKIM1; p=${rsaDkimKey(1024, 'pkcs1')}`);
    assert.ok(pkcs1.ok && pkcs1.key.bits === 1024);
  });

  it('reads an Ed25519 key (RFC 8463: the 32 raw bytes)', () => {
    const parsed = parseDkimRecord(`v=DKIM1; k=ed25519; p=${ed25519DkimKey()}`);
    assert.ok(parsed.ok);
    assert.equal(parsed.key.keyType, 'ed25519');
    assert.equal(parsed.key.bits, 256);
  });

  it('sees revoked keys, testing mode and SHA-1-only records', () => {
    const revoked = parseDkimRecord('v=DKIM1; p=');
    assert.ok(revoked.ok && revoked.key.revoked && revoked.key.bits === null);
    const flags = parseDkimRecord(`v=DKIM1; h=sha1; t=y:s; p=${rsaDkimKey(1024)}`);
    assert.ok(flags.ok && flags.key.testing && flags.key.sha1Only);
    const both = parseDkimRecord(`h=sha1:sha256; p=${rsaDkimKey(1024)}`);
    assert.ok(both.ok && !both.key.sha1Only);
  });

  it('gives a reason for every broken record', () => {
    const cases: Array<[string, string]> = [
      ['just text', 'syntax'],
      ['v=DKIM1; p=a; p=b', 'duplicate_tag'],
      ['v=DKIM2; p=', 'version'],
      ['k=rsa; v=DKIM1; p=', 'version'],
      ['v=DKIM1; k=rsa', 'no_key'],
      ['v=DKIM1; k=dsa; p=AAAA', 'unknown_key_type'],
      ['v=DKIM1; p=not*base64', 'bad_key'],
      ['v=DKIM1; p=AAAAAAAA', 'bad_key'],
      [`v=DKIM1; k=ed25519; p=${rsaDkimKey(1024)}`, 'bad_key'],
      [`v=DKIM1; k=rsa; p=${ed25519DkimKey()}`, 'bad_key'],
    ];
    for (const [record, error] of cases) {
      const parsed = parseDkimRecord(record);
      assert.equal(parsed.ok ? 'ok' : parsed.error, error, record);
    }
  });
});
