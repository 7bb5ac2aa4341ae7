// Evidence builders for the TLS check tests: a scan result with only the fields a test cares about.
import type { CertificateEvidence } from '../../evidence/tls/certificate-evidence.ts';
import { type CiphersEvidence, ciphersEvidenceSchema, type ProtocolsEvidence, protocolsEvidenceSchema } from '../../evidence/tls/tls-scan-evidence.ts';
import { protocolVersions, suiteName } from '../../net/tls-hello/cipher-suites.ts';

const connection = {
  host: 'www.bakkerij.nl',
  port: 443,
  addresses: ['145.100.1.1'],
  refusedAddresses: [],
  address: '145.100.1.1',
  error: null,
  errorDetail: null,
  handshakes: 20,
  durationMs: 150,
};

export function protocolsEvidence(accepted: string[], overrides: Partial<ProtocolsEvidence> = {}): ProtocolsEvidence {
  return protocolsEvidenceSchema.parse({
    ...connection,
    protocols: protocolVersions.map((protocol) => ({ protocol, accepted: accepted.includes(protocol), via: accepted.includes(protocol) ? 'handshake' : null, detail: null })),
    ...overrides,
  });
}

/** `{ 'TLSv1.2': ['c02f'] }`: the suites accepted per protocol, by code. */
export function ciphersEvidence(suites: Record<string, string[]>, overrides: Partial<CiphersEvidence> = {}, incomplete: string[] = []): CiphersEvidence {
  return ciphersEvidenceSchema.parse({
    ...connection,
    protocols: protocolVersions.map((protocol) => ({
      protocol,
      accepted: (suites[protocol]?.length ?? 0) > 0,
      suites: (suites[protocol] ?? []).map((code) => ({ code, name: suiteName(code) })),
      complete: !incomplete.includes(protocol),
    })),
    ...overrides,
  });
}

export const now = new Date('2026-06-01T12:00:00.000Z');

type CertificateData = CertificateEvidence;
type Session = NonNullable<CertificateData['tls']>;
type Link = Session['chain'][number];

export const link = (name: string, issuer: string, facts: Partial<Link> = {}): Link => ({
  subject: `CN=${name}`,
  issuer: `CN=${issuer}`,
  fingerprintSha256: `FP:${name}`,
  selfSigned: name === issuer,
  signatureAlgorithm: 'ecdsa-with-SHA256',
  keyType: 'ec',
  keyBits: 256,
  ...facts,
});

/** A trusted leaf → R11 → ISRG Root X1 session, the server sending leaf and intermediate. */
export function certificateEvidence(session: Partial<Session> = {}, certificate: Partial<Session['certificate']> = {}): CertificateData {
  const leaf = link('www.bakkerij.nl', 'R11');
  const intermediate = link('R11', 'ISRG Root X1', { keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption' });
  const root = link('ISRG Root X1', 'ISRG Root X1', { keyType: 'rsa', keyBits: 4096, signatureAlgorithm: 'sha256WithRSAEncryption' });
  return {
    host: 'www.bakkerij.nl',
    port: 443,
    addresses: ['145.100.1.1'],
    refusedAddresses: [],
    address: '145.100.1.1',
    error: null,
    errorDetail: null,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      chainTrusted: true,
      chainError: null,
      hostnameMatches: true,
      hostnameError: null,
      certificate: {
        subject: 'CN=www.bakkerij.nl',
        issuer: 'CN=R11',
        subjectAltNames: ['DNS:www.bakkerij.nl'],
        serialNumber: '01',
        validFrom: '2026-05-01T00:00:00.000Z',
        validTo: '2026-08-01T00:00:00.000Z',
        fingerprintSha256: 'FP:www.bakkerij.nl',
        keyType: 'ec',
        keyBits: 256,
        keyCurve: 'prime256v1',
        signatureAlgorithm: 'ecdsa-with-SHA256',
        selfSigned: false,
        caIssuers: ['http://r11.i.lencr.org/'],
        ...certificate,
      },
      chain: [leaf, intermediate, root],
      sentChain: [leaf, intermediate],
      ...session,
    },
  };
}
