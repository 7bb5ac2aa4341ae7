// Hand-built ClientHellos, as testssl.sh sends them in its socket mode: enough to make a server
// answer with its ServerHello (the protocol version and cipher suite it accepts) for versions and
// suites that Node's OpenSSL cannot offer (SSLv2, SSLv3, RC4, 3DES, EXPORT, …). Nothing here
// completes a handshake; the prober reads the first answer and hangs up.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { type ProtocolVersion, wireVersion } from './cipher-suites.ts';

const handshakeRecord = 0x16;
const clientHelloType = 0x01;
/** Signalling value for secure renegotiation (RFC 5746); many servers expect it. */
const renegotiationScsv = 0x00ff;

const extension = {
  serverName: 0x0000,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  padding: 0x0015,
  extendedMasterSecret: 0x0017,
  supportedVersions: 0x002b,
  pskKeyExchangeModes: 0x002d,
  keyShare: 0x0033,
} as const;

// Every named group a server might insist on, so that ECDHE/DHE suites are not refused for the
// lack of a curve: the legacy sect/secp curves (1–25), brainpool (26–28), x25519, x448, ffdhe.
const supportedGroups = [
  0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x001a, 0x001b, 0x001c,
  ...Array.from({ length: 22 }, (_, index) => index + 1),
  0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
];
const x25519 = 0x001d;

// Every signature scheme, SHA-1 and DSA included: the probe asks what the server accepts.
const signatureAlgorithms = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
  0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
];

const u8 = (value: number) => Buffer.from([value & 0xff]);
const u16 = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const u24 = (value: number) => Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
const vector16 = (body: Buffer) => Buffer.concat([u16(body.length), body]);
const vector8 = (body: Buffer) => Buffer.concat([u8(body.length), body]);
function list16(values: number[]): Buffer {
  // One buffer, not one per value: enumeration builds hellos of ~128 suites by the thousand.
  const list = Buffer.allocUnsafe(values.length * 2);
  values.forEach((value, index) => list.writeUInt16BE(value & 0xffff, index * 2));
  return list;
}
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vector16(body)]);

export interface HelloOptions {
  protocol: Exclude<ProtocolVersion, 'SSLv2'>;
  /** Two-byte cipher suite codes, in the order offered. At most 256. */
  suites: number[];
  /** Host name for SNI; IP addresses are not sent (RFC 6066). */
  serverName?: string;
}

export const maxSuitesPerHello = 256;

function serverNameExtension(name: string): Buffer {
  const host = Buffer.from(name, 'ascii');
  return ext(extension.serverName, vector16(Buffer.concat([u8(0), vector16(host)])));
}

/** The extensions that are the same in every hello, built once (never written to). */
const constantExtensions = {
  supportedGroups: ext(extension.supportedGroups, vector16(list16(supportedGroups))),
  ecPointFormats: ext(extension.ecPointFormats, vector8(Buffer.from([0, 1, 2]))),
  signatureAlgorithms: ext(extension.signatureAlgorithms, vector16(list16(signatureAlgorithms))),
  extendedMasterSecret: ext(extension.extendedMasterSecret, Buffer.alloc(0)),
};

function extensionsFor(options: HelloOptions): Buffer[] {
  if (options.protocol === 'SSLv3') return []; // SSLv3 servers predate extensions; some choke on them
  const list: Buffer[] = [];
  if (options.serverName && isIP(options.serverName) === 0) list.push(serverNameExtension(options.serverName));
  list.push(constantExtensions.supportedGroups, constantExtensions.ecPointFormats);
  if (options.protocol === 'TLSv1.2' || options.protocol === 'TLSv1.3') list.push(constantExtensions.signatureAlgorithms);
  list.push(constantExtensions.extendedMasterSecret);
  if (options.protocol === 'TLSv1.3') {
    list.push(ext(extension.supportedVersions, vector8(u16(wireVersion['TLSv1.3']))));
    list.push(ext(extension.pskKeyExchangeModes, vector8(Buffer.from([1]))));
    // Any 32 bytes are an acceptable X25519 share; the handshake is abandoned after the ServerHello.
    const share = Buffer.concat([u16(x25519), vector16(randomBytes(32))]);
    list.push(ext(extension.keyShare, vector16(share)));
  }
  return list;
}

/** A ClientHello record for SSLv3 … TLS 1.3 offering exactly `suites` (+ the renegotiation SCSV). */
export function buildClientHello(options: HelloOptions): Buffer {
  if (options.suites.length === 0 || options.suites.length > maxSuitesPerHello) {
    throw new RangeError(`a hello offers 1 to ${maxSuitesPerHello} suites`);
  }
  const tls13 = options.protocol === 'TLSv1.3';
  const clientVersion = tls13 ? wireVersion['TLSv1.2'] : wireVersion[options.protocol];
  const suiteBytes = list16(tls13 ? options.suites : [...options.suites, renegotiationScsv]);
  // TLS 1.3 middlebox compatibility mode sends a 32-byte legacy session id.
  const sessionId = tls13 ? randomBytes(32) : Buffer.alloc(0);
  // client version, random, session id, suites, null compression only
  const headLength = 2 + 32 + 1 + sessionId.length + 2 + suiteBytes.length + 2;
  let extensions = extensionsFor(options);
  let extensionsLength = extensions.reduce((sum, item) => sum + item.length, 0);
  if (extensions.length > 0) {
    // Some load balancers hang on hellos of 256–511 bytes (RFC 7685): pad past that range.
    const length = 4 + headLength + 2 + extensionsLength;
    if (length >= 256 && length < 512) {
      const padding = ext(extension.padding, Buffer.alloc(Math.max(0, 512 - length - 4)));
      extensions = [...extensions, padding];
      extensionsLength += padding.length;
    }
  }
  const bodyLength = headLength + (extensions.length > 0 ? 2 + extensionsLength : 0);
  const recordVersion = options.protocol === 'SSLv3' ? wireVersion.SSLv3 : wireVersion.TLSv1;
  // Written into one buffer: enumeration sends thousands of hellos.
  const hello = Buffer.alloc(5 + 4 + bodyLength);
  let offset = hello.writeUInt8(handshakeRecord, 0);
  offset = hello.writeUInt16BE(recordVersion, offset);
  offset = hello.writeUInt16BE(4 + bodyLength, offset);
  offset = hello.writeUInt8(clientHelloType, offset);
  offset = hello.writeUIntBE(bodyLength, offset, 3);
  offset = hello.writeUInt16BE(clientVersion, offset);
  offset += randomBytes(32).copy(hello, offset);
  offset = hello.writeUInt8(sessionId.length, offset);
  offset += sessionId.copy(hello, offset);
  offset = hello.writeUInt16BE(suiteBytes.length, offset);
  offset += suiteBytes.copy(hello, offset);
  offset = hello.writeUInt8(1, offset);
  offset = hello.writeUInt8(0, offset);
  if (extensions.length > 0) {
    offset = hello.writeUInt16BE(extensionsLength, offset);
    for (const item of extensions) offset += item.copy(hello, offset);
  }
  return hello;
}

/** An SSLv2 CLIENT-HELLO (two-byte record header) offering the given 3-byte cipher specs. */
export function buildSslv2ClientHello(specs: number[]): Buffer {
  const challenge = randomBytes(16);
  const specBytes = Buffer.concat(specs.map((spec) => Buffer.from([(spec >> 16) & 0xff, (spec >> 8) & 0xff, spec & 0xff])));
  const body = Buffer.concat([
    u8(1), // CLIENT-HELLO
    u16(0x0002),
    u16(specBytes.length),
    u16(0), // session id length
    u16(challenge.length),
    specBytes,
    challenge,
  ]);
  return Buffer.concat([u16(0x8000 | body.length), body]);
}
