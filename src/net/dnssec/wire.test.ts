import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalWireName, compareNames, labelsOf, namesBetween, normaliseName } from './names.ts';
import { decodeAaaa, decodeTypeBitmap } from './rdata.ts';
import { encodeQuery, parseMessage, readName, RecordType, WireError } from './wire.ts';

const header = (ancount: number) => Buffer.from([0x12, 0x34, 0x84, 0x00, 0, 1, 0, ancount, 0, 0, 0, 0]);
const question = Buffer.concat([Buffer.from([3, 0x77, 0x77, 0x77, 2, 0x6e, 0x6c, 0]), Buffer.from([0, 1, 0, 1])]);

describe('DNS wire parser', () => {
  it('parses a query it built, and decompresses names inside RDATA', () => {
    const query = parseMessage(encodeQuery(7, 'Example.NL', RecordType.DNSKEY, { dnssec: true }));
    assert.equal(query.id, 7);
    assert.deepEqual(query.questions, [{ name: 'example.nl', type: RecordType.DNSKEY, class: 1 }]);
    assert.equal(query.edns?.dnssecOk, true);
    assert.equal(query.flags & 0x0010, 0x0010, 'CD set with DO');
    // An NS answer whose RDATA points back at the question name.
    const answer = Buffer.from([0xc0, 12, 0, 2, 0, 1, 0, 0, 0, 60, 0, 6, 3, 0x6e, 0x73, 0x31, 0xc0, 12]);
    const message = parseMessage(Buffer.concat([header(1), question, answer]));
    assert.equal(message.answers[0]?.name, 'www.nl');
    assert.deepEqual([...message.answers[0]!.rdata], [3, 0x6e, 0x73, 0x31, 3, 0x77, 0x77, 0x77, 2, 0x6e, 0x6c, 0]);
  });

  it('refuses compression loops, forward pointers and anything cut off', () => {
    const selfPointer = Buffer.concat([header(1), question, Buffer.from([0xc0, 24, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4])]);
    assert.throws(() => parseMessage(selfPointer), WireError);
    assert.throws(() => readName(Buffer.from([0xc0, 2, 0xc0, 0]), 0), /loop/);
    assert.throws(() => readName(Buffer.from([1, 0x61, 0xc0, 0]), 0), /loop/, 'a pointer back into the same name');
    const full = Buffer.concat([header(1), question, Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4])]);
    for (let cut = 1; cut < full.length - 12; cut += 1) assert.throws(() => parseMessage(full.subarray(0, full.length - cut)), WireError, `cut ${cut}`);
    assert.throws(() => parseMessage(Buffer.from([0, 1, 0x84, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0])), /too many/);
  });

  it('handles names as DNSSEC needs them', () => {
    assert.equal(normaliseName('WWW.Example.NL.'), 'www.example.nl');
    assert.deepEqual([...canonicalWireName('A.b')], [1, 0x61, 1, 0x62, 0]);
    assert.deepEqual(labelsOf('a\\.b.c').map((label) => label.toString()), ['a.b', 'c']);
    assert.deepEqual(namesBetween('nl', 'a.b.example.nl'), ['example.nl', 'b.example.nl', 'a.b.example.nl']);
    // RFC 4034 section 6.1's example order.
    const ordered = ['example', 'a.example', 'yljkjljk.a.example', 'Z.a.example', 'zABC.a.EXAMPLE', 'z.example', '\\001.z.example', '*.z.example', '\\200.z.example'];
    assert.deepEqual([...ordered].reverse().sort(compareNames), ordered);
  });

  it('decodes type bitmaps and IPv6 addresses', () => {
    assert.deepEqual([...decodeTypeBitmap(Buffer.from([0, 6, 0x40, 0x01, 0, 0, 0, 0x03, 1, 1, 0x40]))].sort((a, b) => a - b), [1, 15, 46, 47, 257]);
    assert.throws(() => decodeTypeBitmap(Buffer.from([0, 40])), WireError);
    assert.equal(decodeAaaa(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8::1');
    assert.equal(decodeAaaa(Buffer.from('20010db8000100000001000000000001', 'hex')), '2001:db8:1:0:1::1');
  });
});
