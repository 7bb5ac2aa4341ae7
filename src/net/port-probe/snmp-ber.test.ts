import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanDisplayString, decodeSnmpMessage, encodeGetRequest, encodeOid, maxBindings, sysDescrOf, sysDescrOid } from './snmp-ber.ts';
import { productFromSysDescr } from './snmp-sysdescr.ts';
import { isAnswerTo } from './snmp.ts';

// What net-snmp 5.9.3 (Debian 12 snmpd) answered to our request id 0x12345678, "public", sysDescr.0.
const realResponse = Buffer.from(
  '304602010104067075626c6963a239020412345678020100020100302b302906082b06010201010100041d43796265726d6f6e69746f722074657374206167656e7420312e322e33',
  'hex',
);

/** A BER length (short or 1-byte long form; the test values stay under 256). */
const length = (n: number) => (n < 0x80 ? [n] : [0x81, n]);

/** Build a v2c message around hand-written PDU bytes (for malformed cases). */
function message(pdu: Buffer, community = 'public', version = 1): Buffer {
  const body = Buffer.concat([Buffer.from([0x02, 0x01, version, 0x04, community.length]), Buffer.from(community, 'latin1'), pdu]);
  return Buffer.concat([Buffer.from([0x30, ...length(body.length)]), body]);
}

function response(requestId: number[], bindings: Buffer, errorStatus = 0): Buffer {
  const fields = Buffer.concat([Buffer.from([0x02, requestId.length, ...requestId, 0x02, 0x01, errorStatus, 0x02, 0x01, 0x00, 0x30, ...length(bindings.length)]), bindings]);
  return Buffer.concat([Buffer.from([0xa2, ...length(fields.length)]), fields]);
}

const sysDescrBinding = (valueTag: number, value: Buffer) => {
  const oid = encodeOid(sysDescrOid);
  const inner = Buffer.concat([oid, Buffer.from([valueTag, ...length(value.length)]), value]);
  return Buffer.concat([Buffer.from([0x30, ...length(inner.length)]), inner]);
};

describe('SNMP BER', () => {
  it('encodes the v2c GetRequest for sysDescr.0 byte for byte', () => {
    const request = encodeGetRequest({ community: 'public', requestId: 0x12345678, oids: [sysDescrOid] });
    assert.equal(request.toString('hex'), '302902010104067075626c6963a01c020412345678020100020100300e300c06082b060102010101000500');
    // A request id with its top bit set in the first byte gets a leading zero (stays positive).
    const high = encodeGetRequest({ community: 'public', requestId: 0x80, oids: [sysDescrOid] });
    assert.equal(high.subarray(15, 19).toString('hex'), '02020080');
    assert.equal(encodeOid('1.3.6.1.4.1.8072').toString('hex'), '06072b06010401bf08');
    assert.throws(() => encodeGetRequest({ community: 'public', requestId: -1, oids: [sysDescrOid] }), RangeError);
  });

  it('decodes net-snmp’s Response and finds our request id, community and sysDescr', () => {
    const decoded = decodeSnmpMessage(realResponse);
    assert.ok(decoded);
    assert.equal(decoded.requestId, 0x12345678);
    assert.equal(isAnswerTo(decoded, 0x12345678, 'public'), true);
    assert.equal(isAnswerTo(decoded, 0x12345679, 'public'), false, 'another request id');
    assert.equal(isAnswerTo(decoded, 0x12345678, 'private'), false, 'another community');
    assert.equal(sysDescrOf(decoded)?.toString(), 'Cybermonitor test agent 1.2.3');
  });

  it('does not take our own GetRequest (an echo) for an answer', () => {
    const request = encodeGetRequest({ community: 'public', requestId: 42, oids: [sysDescrOid] });
    const decoded = decodeSnmpMessage(request);
    assert.ok(decoded);
    assert.equal(isAnswerTo(decoded, 42, 'public'), false);
    assert.equal(sysDescrOf(decoded), null);
  });

  it('refuses every truncation and trailing bytes', () => {
    for (let cut = 0; cut < realResponse.length; cut += 1) {
      assert.equal(decodeSnmpMessage(realResponse.subarray(0, cut)), undefined, `prefix of ${cut} bytes`);
    }
    assert.equal(decodeSnmpMessage(Buffer.concat([realResponse, Buffer.from([0])])), undefined);
  });

  it('refuses indefinite, oversized and absurd lengths, multi-byte tags and too many bindings', () => {
    assert.equal(decodeSnmpMessage(Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00])), undefined, 'indefinite length');
    assert.equal(decodeSnmpMessage(Buffer.from([0x30, 0x85, 1, 0, 0, 0, 0])), undefined, '5-byte length');
    assert.equal(decodeSnmpMessage(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02])), undefined, 'length beyond the datagram');
    assert.equal(decodeSnmpMessage(Buffer.from([0x3f, 0x01, 0x00])), undefined, 'multi-byte tag');
    assert.equal(decodeSnmpMessage(Buffer.alloc(5000, 0x30)), undefined, 'over 4 KiB');
    const many = Buffer.concat(Array.from({ length: maxBindings + 1 }, () => sysDescrBinding(0x04, Buffer.from('x'))));
    assert.equal(decodeSnmpMessage(message(response([1], many))), undefined);
    const integerTooLong = message(response([1, 2, 3, 4, 5], sysDescrBinding(0x04, Buffer.from('x'))));
    assert.equal(decodeSnmpMessage(integerTooLong), undefined, 'request id wider than Integer32');
  });

  it('yields no sysDescr for exceptions, errors and other OIDs, but still decodes the answer', () => {
    const noSuchObject = decodeSnmpMessage(message(response([7], sysDescrBinding(0x80, Buffer.alloc(0)))));
    assert.ok(noSuchObject && isAnswerTo(noSuchObject, 7, 'public'));
    assert.equal(sysDescrOf(noSuchObject), null);
    const withError = decodeSnmpMessage(message(response([7], sysDescrBinding(0x04, Buffer.from('x')), 2)));
    assert.ok(withError);
    assert.equal(sysDescrOf(withError), null);
    const long = decodeSnmpMessage(message(response([7], sysDescrBinding(0x04, Buffer.alloc(200, 0x41)))));
    assert.ok(long, 'long-form lengths decode');
    assert.equal(sysDescrOf(long)?.length, 200);
  });

  it('never throws on random or mutated input', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 3000; round += 1) {
      const mutated = Buffer.from(realResponse);
      for (let flips = 0; flips < 1 + Math.floor(random() * 4); flips += 1) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      const decoded = decodeSnmpMessage(mutated);
      if (decoded) sysDescrOf(decoded);
      const noise = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      decodeSnmpMessage(noise);
    }
  });

  it('cleans a sysDescr for storage and display', () => {
    assert.equal(cleanDisplayString(Buffer.from('Router\r\n\x1b[31mX\x00 1.0\t')), 'Router [31mX 1.0');
    assert.equal(cleanDisplayString(Buffer.from('abc\u202Efdp.exe')), 'abc fdp.exe', 'bidi override removed');
    assert.equal(cleanDisplayString(Buffer.from([0x4e, 0xe9, 0x74])), 'Nét', 'invalid UTF-8 read as Latin-1');
    assert.equal(cleanDisplayString(Buffer.alloc(400, 0x41)).length, 255);
  });

  it('takes product and version from the sysDescr formats that name both', () => {
    assert.deepEqual(productFromSysDescr('Linux nas 4.4.302+ #69057 SMP Fri Jan 12 17:02:28 CST 2024 x86_64'), { product: 'linux-kernel', version: '4.4.302' });
    assert.deepEqual(productFromSysDescr('Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)'), {
      product: 'cisco-ios',
      version: '15.0(2)SE11',
    });
    assert.deepEqual(productFromSysDescr('Cisco IOS XE Software, Version 17.03.04a - Cupertino'), { product: 'cisco-ios-xe', version: '17.03.04a' });
    assert.deepEqual(productFromSysDescr('Hardware: Intel64 Family 6 Model 85 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)'), {
      product: 'microsoft-windows',
      version: '6.3.17763',
    });
    assert.deepEqual(productFromSysDescr('RouterOS RB951Ui-2HnD'), { product: 'mikrotik-routeros', version: null });
    assert.deepEqual(productFromSysDescr('HP ETHERNET MULTI-ENVIRONMENT'), { product: null, version: null });
  });
});
