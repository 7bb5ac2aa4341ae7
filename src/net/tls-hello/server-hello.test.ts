import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildClientHello, buildSslv2ClientHello } from './client-hello.ts';
import { maxResponseBytes, parseSslv2Answer, parseTlsAnswer } from './server-hello.ts';

const record = (type: number, body: Buffer, version = 0x0303) => Buffer.concat([Buffer.from([type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff]), body]);
const handshake = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);

function serverHelloBody(version: number, suite: number, extensions?: Buffer, random: Buffer = Buffer.alloc(32, 7)): Buffer {
  const parts = [Buffer.from([version >> 8, version & 0xff]), random, Buffer.from([0]), Buffer.from([suite >> 8, suite & 0xff, 0])];
  if (extensions) parts.push(Buffer.from([extensions.length >> 8, extensions.length & 0xff]), extensions);
  return Buffer.concat(parts);
}
const supportedVersions = (version: number) => Buffer.from([0x00, 0x2b, 0x00, 0x02, version >> 8, version & 0xff]);

describe('parseTlsAnswer', () => {
  it('reads version and suite from a ServerHello, in one record or split over several', () => {
    const message = handshake(2, serverHelloBody(0x0303, 0xc02f));
    assert.deepEqual(parseTlsAnswer(record(22, message)), { done: true, answer: { kind: 'server_hello', version: 0x0303, cipherSuite: 0xc02f, helloRetry: false } });
    const split = Buffer.concat([record(22, message.subarray(0, 3)), record(22, message.subarray(3))]);
    assert.equal(parseTlsAnswer(split).done, true);
    for (let cut = 0; cut < split.length; cut += 1) assert.equal(parseTlsAnswer(split.subarray(0, cut)).done, false, `cut at ${cut}`);
  });

  it('takes the TLS 1.3 version from supported_versions and recognises a HelloRetryRequest', () => {
    const retryRandom = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
    const step = parseTlsAnswer(record(22, handshake(2, serverHelloBody(0x0303, 0x1302, supportedVersions(0x0304), retryRandom))));
    assert.deepEqual(step, { done: true, answer: { kind: 'server_hello', version: 0x0304, cipherSuite: 0x1302, helloRetry: true } });
  });

  it('reports alerts', () => {
    assert.deepEqual(parseTlsAnswer(record(21, Buffer.from([2, 40]))), { done: true, answer: { kind: 'alert', level: 2, description: 40 } });
    assert.deepEqual(parseTlsAnswer(record(21, Buffer.from([2, 70]), 0x0300)), { done: true, answer: { kind: 'alert', level: 2, description: 70 } });
  });

  it('turns hostile or foreign bytes into reasons', () => {
    const reason = (bytes: Buffer) => {
      const step = parseTlsAnswer(bytes);
      assert.ok(step.done, `undecided on ${bytes.subarray(0, 16).toString('hex')}`);
      return step.answer.kind === 'malformed' ? step.answer.reason : step.answer.kind;
    };
    assert.equal(reason(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), 'not_tls');
    assert.equal(reason(Buffer.from([0x16, 0x09])), 'not_tls');
    assert.equal(reason(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff])), 'record_too_long');
    assert.equal(reason(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x00])), 'record_too_long');
    assert.equal(reason(record(22, handshake(11, Buffer.alloc(10)))), 'unexpected_message');
    assert.equal(reason(record(22, Buffer.from([2, 0x01, 0x00, 0x00]))), 'message_too_long');
    assert.equal(reason(record(22, handshake(2, Buffer.alloc(10)))), 'bad_length');
    assert.equal(reason(record(22, handshake(2, serverHelloBody(0x0303, 0xc02f, Buffer.from([0x00, 0x2b, 0x00, 0x09]))))), 'bad_length');
    assert.equal(reason(record(22, handshake(2, serverHelloBody(0x0303, 0xc02f, supportedVersions(0x0304).subarray(0, 5))))), 'bad_length');
    assert.equal(reason(record(21, Buffer.from([2]))), 'bad_length');
    assert.equal(reason(Buffer.concat([record(22, handshake(2, serverHelloBody(0x0303, 1)).subarray(0, 2)), Buffer.from([0x17, 3, 3, 0, 1, 0])])), 'unexpected_record');
    // The largest ServerHello allowed, filled with junk over many records, is decided once complete.
    const chunk = record(22, Buffer.alloc(16_000));
    const huge = Buffer.concat([record(22, Buffer.from([2, 0x00, 0x3f, 0xff])), ...Array.from({ length: 5 }, () => chunk)]);
    assert.ok(huge.length > maxResponseBytes);
    assert.equal(reason(huge), 'bad_length');
  });

  it('never throws on random bytes', () => {
    for (let round = 0; round < 2000; round += 1) {
      const bytes = Buffer.from(Array.from({ length: 1 + (round % 300) }, () => Math.floor(Math.random() * 256)));
      if (round % 3 === 0) bytes[0] = 22;
      if (round % 3 === 0 && bytes.length > 1) bytes[1] = 3;
      parseTlsAnswer(bytes);
      parseSslv2Answer(bytes);
    }
  });
});

describe('parseSslv2Answer', () => {
  function sslv2ServerHello(specs: number[], certificate = Buffer.alloc(20, 1)): Buffer {
    const specBytes = Buffer.concat(specs.map((spec) => Buffer.from([spec >> 16, (spec >> 8) & 0xff, spec & 0xff])));
    const connectionId = Buffer.alloc(16, 2);
    const body = Buffer.concat([
      Buffer.from([4, 0, 1, 0x00, 0x02]),
      Buffer.from([certificate.length >> 8, certificate.length & 0xff, specBytes.length >> 8, specBytes.length & 0xff, 0, connectionId.length]),
      certificate,
      specBytes,
      connectionId,
    ]);
    return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
  }

  it('lists the cipher specs of an SSLv2 SERVER-HELLO', () => {
    const bytes = sslv2ServerHello([0x0700c0, 0x010080]);
    assert.deepEqual(parseSslv2Answer(bytes), { done: true, answer: { kind: 'sslv2_server_hello', version: 2, cipherSpecs: [0x0700c0, 0x010080] } });
    assert.equal(parseSslv2Answer(bytes.subarray(0, bytes.length - 1)).done, false);
  });

  it('treats a TLS alert as a refusal and anything else as malformed', () => {
    assert.deepEqual(parseSslv2Answer(record(21, Buffer.from([2, 70]))), { done: true, answer: { kind: 'alert', level: 2, description: 70 } });
    const step = parseSslv2Answer(Buffer.from('SSH-2.0-OpenSSH\r\n'));
    assert.deepEqual(step, { done: true, answer: { kind: 'malformed', reason: 'not_tls' } });
    const badSpecs = sslv2ServerHello([0x0700c0]);
    badSpecs[10] = 4; // spec length not a multiple of 3
    assert.equal(parseSslv2Answer(badSpecs).done && (parseSslv2Answer(badSpecs) as { answer: { kind: string } }).answer.kind, 'malformed');
  });
});

describe('client hellos', () => {
  it('builds a parseable TLS ClientHello with the offered suites, SNI and, for TLS 1.3, supported_versions', () => {
    const hello = buildClientHello({ protocol: 'TLSv1.3', suites: [0x1301, 0x1302], serverName: 'www.bakkerij.nl' });
    assert.equal(hello[0], 0x16);
    assert.equal(hello.readUInt16BE(3), hello.length - 5);
    assert.equal(hello[5], 1);
    assert.ok(hello.length - 5 >= 512, 'padded past the 256–511 byte range');
    assert.ok(hello.includes(Buffer.from('www.bakkerij.nl')));
    assert.ok(hello.includes(Buffer.from([0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04])));
    // session id of 32 bytes, then the suites vector
    assert.equal(hello[5 + 4 + 2 + 32], 32);
    assert.equal(hello.readUInt16BE(5 + 4 + 2 + 32 + 1 + 32), 4);
  });

  it('builds SSLv3 hellos without extensions, with the renegotiation SCSV, and refuses empty offers', () => {
    const hello = buildClientHello({ protocol: 'SSLv3', suites: [0x000a], serverName: 'example.nl' });
    assert.equal(hello.readUInt16BE(1), 0x0300);
    assert.equal(hello.readUInt16BE(9), 0x0300);
    assert.ok(!hello.includes(Buffer.from('example.nl')));
    assert.equal(hello.length, 5 + 4 + 2 + 32 + 1 + 2 + 4 + 2);
    assert.throws(() => buildClientHello({ protocol: 'TLSv1.2', suites: [] }), RangeError);
  });

  it('does not send an IP address as server name and builds an SSLv2 CLIENT-HELLO', () => {
    assert.ok(!buildClientHello({ protocol: 'TLSv1.2', suites: [0xc02f], serverName: '192.0.2.1' }).includes(Buffer.from('192.0.2.1')));
    const sslv2 = buildSslv2ClientHello([0x0700c0, 0x010080]);
    assert.equal(sslv2[0]! & 0x80, 0x80);
    assert.equal(((sslv2[0]! & 0x7f) << 8) | sslv2[1]!, sslv2.length - 2);
    assert.equal(sslv2[2], 1);
    assert.equal(sslv2.readUInt16BE(5), 6);
  });
});
