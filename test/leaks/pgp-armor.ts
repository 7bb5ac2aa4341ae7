// A cleartext-signed security.txt as `gpg --clearsign` lays it out (RFC 4880 §7), with a
// structurally valid v4 signature packet (creation time, issuer fingerprint and key ID
// subpackets, CRC-24 armor checksum). The signature bytes themselves are random: the scanner
// describes signatures, it does not verify them.
import { randomBytes } from 'node:crypto';
import { crc24 } from '../../src/checks/web/security-txt-parse.ts';

export interface SignatureSpec {
  created: Date;
  /** 20 bytes, hex. */
  fingerprint: string;
  hashAlgorithm?: number;
  publicKeyAlgorithm?: number;
}

function subpacket(type: number, content: Uint8Array): Uint8Array {
  return Uint8Array.from([content.length + 1, type, ...content]);
}

export function signaturePacket(spec: SignatureSpec): Uint8Array {
  const time = Math.floor(spec.created.getTime() / 1000);
  const fingerprint = Buffer.from(spec.fingerprint, 'hex');
  const hashed = Uint8Array.from([
    ...subpacket(2, Uint8Array.from([time >>> 24, (time >>> 16) & 0xff, (time >>> 8) & 0xff, time & 0xff])),
    ...subpacket(33, Uint8Array.from([4, ...fingerprint])),
  ]);
  const unhashed = subpacket(16, fingerprint.subarray(fingerprint.length - 8));
  const mpi = (bytes: number) => [(bytes * 8) >> 8, (bytes * 8) & 0xff, ...randomBytes(bytes)];
  const body = Uint8Array.from([
    4,
    0x01,
    spec.publicKeyAlgorithm ?? 22,
    spec.hashAlgorithm ?? 8,
    hashed.length >> 8,
    hashed.length & 0xff,
    ...hashed,
    unhashed.length >> 8,
    unhashed.length & 0xff,
    ...unhashed,
    ...randomBytes(2),
    ...mpi(32),
    ...mpi(32),
  ]);
  return Uint8Array.from([0xc2, body.length, ...body]);
}

export function armoredSignature(packet: Uint8Array, options: { corruptChecksum?: boolean } = {}): string {
  const base64 = Buffer.from(packet).toString('base64');
  const crc = crc24(packet) ^ (options.corruptChecksum ? 1 : 0);
  const checksum = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
  return ['-----BEGIN PGP SIGNATURE-----', '', ...(base64.match(/.{1,64}/g) ?? []), `=${checksum}`, '-----END PGP SIGNATURE-----'].join('\n');
}

/** Wrap text in a cleartext signature, dash-escaping lines that start with a dash. */
export function clearSign(text: string, spec: SignatureSpec): string {
  const escaped = text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line.startsWith('-') ? `- ${line}` : line))
    .join('\n');
  return `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${escaped}\n${armoredSignature(signaturePacket(spec))}\n`;
}
