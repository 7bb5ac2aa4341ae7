// Turning the DER chain an MX server presented into serialisable facts: the leaf's details for
// the TLS check, and digests of every certificate and its public key for DANE matching.
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateDigests } from '../../checks/mail/dane-tlsa.ts';
import type { MxCertificate } from './mx-evidence.ts';

const bounded = (value: unknown, max = 1024): string => String(value ?? '').slice(0, max);
const distinguishedName = (name: string): string => bounded(name.split('\n').filter(Boolean).join(', '));
const hex = (algorithm: 'sha256' | 'sha512', data: Buffer) => createHash(algorithm).update(data).digest('hex');

export function certificateDigests(der: Buffer): CertificateDigests {
  const spki = new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' });
  return { certSha256: hex('sha256', der), certSha512: hex('sha512', der), spkiSha256: hex('sha256', spki), spkiSha512: hex('sha512', spki) };
}

function curveBits(curve: string | undefined): number | null {
  const match = /(\d{3})/.exec(curve ?? '');
  return match ? Number(match[1]) : null;
}

/** The leaf's facts, judged against `serverName` (the MX host name). */
export function describeLeaf(der: Buffer, serverName: string): MxCertificate {
  const leaf = new X509Certificate(der);
  const key = leaf.publicKey;
  const keyDetails = key.asymmetricKeyDetails ?? {};
  return {
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    subjectAltNames: (leaf.subjectAltName ?? '')
      .split(/, (?=[A-Za-z ]+:)/)
      .filter(Boolean)
      .slice(0, 100)
      .map((name) => bounded(name, 256)),
    validFrom: leaf.validFromDate.toISOString(),
    validTo: leaf.validToDate.toISOString(),
    fingerprintSha256: bounded(leaf.fingerprint256, 128),
    keyType: key.asymmetricKeyType ?? null,
    keyBits: keyDetails.modulusLength ?? (key.asymmetricKeyType === 'ec' ? curveBits(keyDetails.namedCurve) : key.asymmetricKeyType === 'ed25519' ? 256 : null),
    selfSigned: leaf.issuer === leaf.subject && leaf.verify(key),
    hostnameMatches: leaf.checkHost(serverName, { subject: 'default' }) !== undefined,
  };
}
