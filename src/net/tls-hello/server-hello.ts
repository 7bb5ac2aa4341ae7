// Reads a server's first answer to a hand-built ClientHello: a ServerHello (version and chosen
// suite), an SSLv2 SERVER-HELLO (its cipher specs), an alert, or something else. Strict and
// bounded: every length is checked against what arrived and against protocol maxima, and hostile
// bytes become a reason, never an exception.

export type HelloAnswer =
  | { kind: 'server_hello'; version: number; cipherSuite: number; helloRetry: boolean }
  | { kind: 'sslv2_server_hello'; version: number; cipherSpecs: number[] }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'malformed'; reason: MalformedReason };

export type MalformedReason =
  | 'not_tls'
  | 'record_too_long'
  | 'unexpected_record'
  | 'unexpected_message'
  | 'message_too_long'
  | 'bad_length'
  | 'too_much_data';

/** What the parser needs: more bytes, or it has an answer. */
export type ParseStep = { done: false } | { done: true; answer: HelloAnswer };

const recordHeaderLength = 5;
/** RFC 8446 5.1/5.2: a plaintext fragment is at most 2^14 bytes (+2048 for older ciphertext). */
const maxRecordLength = 2 ** 14 + 2048;
/** A ServerHello carries a handful of extensions; anything bigger is not an honest ServerHello. */
const maxServerHelloLength = 2 ** 14;
/** Stop reading once this much arrived without an answer. */
export const maxResponseBytes = 64 * 1024;

const contentType = { alert: 21, handshake: 22 } as const;
const serverHelloType = 2;
const supportedVersionsExtension = 0x002b;

// SHA-256 of "HelloRetryRequest" (RFC 8446 4.1.3): a ServerHello with this random is an HRR.
const helloRetryRandom = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const more: ParseStep = { done: false };
const answer = (value: HelloAnswer): ParseStep => ({ done: true, answer: value });
const malformed = (reason: MalformedReason): ParseStep => answer({ kind: 'malformed', reason });

/** A byte cursor that never reads past the end: `undefined` means "not there". */
class Reader {
  offset = 0;
  private readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.bytes[this.offset++];
  }
  u16(): number | undefined {
    if (this.remaining < 2) return undefined;
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  take(length: number): Buffer | undefined {
    if (length < 0 || this.remaining < length) return undefined;
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

function parseServerHelloBody(body: Buffer): HelloAnswer {
  const reader = new Reader(body);
  const legacyVersion = reader.u16();
  const random = reader.take(32);
  const sessionIdLength = reader.u8();
  if (legacyVersion === undefined || random === undefined || sessionIdLength === undefined || sessionIdLength > 32) {
    return { kind: 'malformed', reason: 'bad_length' };
  }
  const sessionId = reader.take(sessionIdLength);
  const cipherSuite = reader.u16();
  const compression = reader.u8();
  if (sessionId === undefined || cipherSuite === undefined || compression === undefined) return { kind: 'malformed', reason: 'bad_length' };
  let version = legacyVersion;
  if (reader.remaining > 0) {
    const extensionsLength = reader.u16();
    const extensions = extensionsLength === undefined ? undefined : reader.take(extensionsLength);
    if (extensions === undefined || reader.remaining !== 0) return { kind: 'malformed', reason: 'bad_length' };
    const extensionReader = new Reader(extensions);
    while (extensionReader.remaining > 0) {
      const type = extensionReader.u16();
      const length = extensionReader.u16();
      const data = length === undefined ? undefined : extensionReader.take(length);
      if (type === undefined || data === undefined) return { kind: 'malformed', reason: 'bad_length' };
      if (type === supportedVersionsExtension) {
        if (data.length !== 2) return { kind: 'malformed', reason: 'bad_length' };
        version = data.readUInt16BE(0);
      }
    }
  }
  return { kind: 'server_hello', version, cipherSuite, helloRetry: random.equals(helloRetryRandom) };
}

/**
 * Parse the bytes received so far after a TLS/SSLv3 ClientHello. Handshake messages may span
 * records; the first one must be a ServerHello.
 */
export function parseTlsAnswer(received: Buffer): ParseStep {
  const handshake: Buffer[] = [];
  let handshakeLength = 0;
  let offset = 0;
  while (received.length - offset >= recordHeaderLength) {
    const type = received[offset] as number;
    const major = received[offset + 1] as number;
    const length = received.readUInt16BE(offset + 3);
    if ((type !== contentType.alert && type !== contentType.handshake) || major !== 3) {
      return malformed(offset === 0 ? 'not_tls' : 'unexpected_record');
    }
    if (length === 0 || length > maxRecordLength) return malformed('record_too_long');
    if (received.length - offset - recordHeaderLength < length) return more;
    const fragment = received.subarray(offset + recordHeaderLength, offset + recordHeaderLength + length);
    offset += recordHeaderLength + length;
    if (type === contentType.alert) {
      // An alert after part of a handshake message is still the server's answer.
      if (fragment.length < 2) return malformed('bad_length');
      return answer({ kind: 'alert', level: fragment[0] as number, description: fragment[1] as number });
    }
    handshake.push(fragment);
    handshakeLength += fragment.length;
    if (handshakeLength >= 4) {
      const message = Buffer.concat(handshake);
      if (message[0] !== serverHelloType) return malformed('unexpected_message');
      const bodyLength = ((message[1] as number) << 16) | ((message[2] as number) << 8) | (message[3] as number);
      if (bodyLength > maxServerHelloLength) return malformed('message_too_long');
      if (message.length >= 4 + bodyLength) return answer(parseServerHelloBody(message.subarray(4, 4 + bodyLength)));
    }
  }
  const first = received[0];
  if (offset === 0 && first !== undefined && first !== contentType.alert && first !== contentType.handshake) return malformed('not_tls');
  if (offset === 0 && received.length >= 2 && received[1] !== 3) return malformed('not_tls');
  return received.length > maxResponseBytes ? malformed('too_much_data') : more;
}

/** Parse the bytes received so far after an SSLv2 CLIENT-HELLO. */
export function parseSslv2Answer(received: Buffer): ParseStep {
  if (received.length === 0) return more;
  const first = received[0] as number;
  // A TLS server may answer an SSLv2 hello with a TLS alert: that is a refusal.
  if (first === contentType.alert || first === contentType.handshake) {
    const step = parseTlsAnswer(received);
    if (!step.done) return step;
    return step.answer.kind === 'alert' ? step : malformed('unexpected_message');
  }
  if ((first & 0x80) === 0) return malformed('not_tls');
  if (received.length < 2) return more;
  const length = ((first & 0x7f) << 8) | (received[1] as number);
  if (length < 11) return malformed('bad_length');
  if (received.length < 2 + length) return more;
  const reader = new Reader(received.subarray(2, 2 + length));
  const messageType = reader.u8();
  if (messageType !== 4) return malformed('unexpected_message'); // 4 = SERVER-HELLO
  reader.u8(); // session id hit
  reader.u8(); // certificate type
  const version = reader.u16();
  const certificateLength = reader.u16();
  const specsLength = reader.u16();
  const connectionIdLength = reader.u16();
  if (version === undefined || certificateLength === undefined || specsLength === undefined || connectionIdLength === undefined) {
    return malformed('bad_length');
  }
  if (specsLength % 3 !== 0) return malformed('bad_length');
  const certificate = reader.take(certificateLength);
  const specs = reader.take(specsLength);
  const connectionId = reader.take(connectionIdLength);
  if (certificate === undefined || specs === undefined || connectionId === undefined) return malformed('bad_length');
  const cipherSpecs: number[] = [];
  for (let index = 0; index < specs.length; index += 3) {
    cipherSpecs.push(((specs[index] as number) << 16) | ((specs[index + 1] as number) << 8) | (specs[index + 2] as number));
  }
  return answer({ kind: 'sslv2_server_hello', version, cipherSpecs });
}
