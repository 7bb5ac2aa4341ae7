// Fetch the TLS certificate a host presents on its HTTPS port. Every step is bounded and every
// failure becomes evidence with a stable reason, never an exception. The handshake goes to the
// very address the policy approved (no second DNS lookup that could be rebound).
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Evidence } from '../../checks/types.ts';
import { isAppError } from '../../errors.ts';
import { assertTargetAllowed } from '../../net/address-policy.ts';
import type { Resolver } from '../../net/resolver.ts';
import { clientSecureContext } from '../../net/trust-store.ts';
import {
  type CertificateDetails,
  type CertificateEvidence,
  type ChainCertificate,
  certificateEvidenceKind,
  certificateEvidenceSchema,
  type GatherFailure,
  type TlsSession,
} from './certificate-evidence.ts';

export interface CertificateGatherOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  /** Deadline for the TCP connect plus the TLS handshake together. */
  timeoutMs: number;
  port?: number;
  /** Extra trusted CA certificates (PEM), on top of Node's default set. */
  extraCa?: string[];
}

const maxChainLength = 10;
const bounded = (value: unknown, max = 1024): string => String(value ?? '').slice(0, max);

const distinguishedName = (name: string): string => bounded(name.split('\n').filter(Boolean).join(', '));

function subjectAltNames(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(/, (?=[A-Za-z ]+:)/)
    .slice(0, 1000)
    .map((name) => bounded(name, 1024));
}

function keyFacts(certificate: X509Certificate): Pick<CertificateDetails, 'keyType' | 'keyBits' | 'keyCurve'> {
  const key = certificate.publicKey;
  const keyDetails = key.asymmetricKeyDetails ?? {};
  return {
    keyType: key.asymmetricKeyType ?? null,
    keyBits: keyDetails.modulusLength ?? (key.asymmetricKeyType === 'ec' ? curveBits(keyDetails.namedCurve) : null),
    keyCurve: keyDetails.namedCurve ?? null,
  };
}

// Not checkIssued(): it also demands keyCertSign, which self-signed server certificates lack.
const isSelfSigned = (certificate: X509Certificate): boolean => certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey);

/** URLs from the AIA "CA Issuers" entries, e.g. `CA Issuers - URI:http://r11.i.lencr.org/`. */
function caIssuers(certificate: X509Certificate): string[] {
  return (certificate.infoAccess ?? '')
    .split('\n')
    .map((line) => /^CA Issuers - URI:(.+)$/.exec(line.trim())?.[1])
    .filter((url): url is string => url !== undefined)
    .slice(0, 10)
    .map((url) => bounded(url, 512));
}

function certificateDetails(leaf: X509Certificate): CertificateDetails {
  return {
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    subjectAltNames: subjectAltNames(leaf.subjectAltName),
    serialNumber: bounded(leaf.serialNumber, 128),
    validFrom: leaf.validFromDate.toISOString(),
    validTo: leaf.validToDate.toISOString(),
    fingerprintSha256: bounded(leaf.fingerprint256, 128),
    ...keyFacts(leaf),
    signatureAlgorithm: leaf.signatureAlgorithm ?? null,
    selfSigned: isSelfSigned(leaf),
    caIssuers: caIssuers(leaf),
  };
}

function curveBits(curve: string | undefined): number | null {
  const match = /(\d{3})/.exec(curve ?? '');
  return match ? Number(match[1]) : null;
}

function chainFacts(peer: PeerCertificate): Omit<ChainCertificate, 'subject' | 'issuer'> {
  try {
    const certificate = new X509Certificate(peer.raw);
    const { keyType, keyBits } = keyFacts(certificate);
    return {
      fingerprintSha256: bounded(certificate.fingerprint256, 128),
      selfSigned: isSelfSigned(certificate),
      signatureAlgorithm: certificate.signatureAlgorithm ?? null,
      keyType,
      keyBits,
    };
  } catch {
    return {};
  }
}

function chainOf(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): TlsSession['chain'] {
  const chain: TlsSession['chain'] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (current && chain.length < maxChainLength && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    const name = (value: unknown) =>
      bounded(Object.entries((value ?? {}) as Record<string, unknown>).map(([field, content]) => `${field}=${String(content)}`).join(', '));
    chain.push({ subject: name(current.subject), issuer: name(current.issuer), ...chainFacts(current) });
    current = current.issuerCertificate;
  }
  return chain;
}

function describeSession(socket: TLSSocket, host: string): TlsSession | undefined {
  // Not getPeerX509Certificate(): on Node 24.21 calling it first leaves getPeerCertificate(true) empty.
  const peer = socket.getPeerCertificate(true);
  // The legacy object's fields are not enumerable: test a field, not Object.keys().
  if (!peer?.raw) return undefined;
  const leaf = new X509Certificate(peer.raw);
  const identityError = checkServerIdentity(host, peer);
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    chainTrusted: socket.authorized,
    chainError: socket.authorized ? null : bounded(socket.authorizationError ?? 'UNKNOWN', 128),
    hostnameMatches: identityError === undefined,
    hostnameError: identityError ? bounded((identityError as NodeJS.ErrnoException).code ?? identityError.message, 128) : null,
    certificate: certificateDetails(leaf),
    chain: chainOf(peer),
  };
}

type HandshakeOutcome = { session: TlsSession } | { error: GatherFailure; detail: string | null };

/** `trust`: Node's store plus extraCa, or an empty store (see sentChain). */
function handshake(address: string, host: string, options: CertificateGatherOptions, trust: 'default' | 'none'): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const socket = connect({
      host: address,
      port: options.port ?? 443,
      servername: isIP(host) ? undefined : host,
      // Legacy servers still have a certificate worth judging (TLS 1.0 up, security level 0);
      // protocols are another check.
      secureContext: clientSecureContext({ trust, extraCa: options.extraCa ?? [] }),
      // Fetch the certificate whatever it is; trust and name are judged, not enforced here.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ALPNProtocols: ['http/1.1'],
    });
    const finish = (outcome: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    const deadline = setTimeout(
      () => finish({ error: 'timeout', detail: connected ? 'handshake' : 'connect' }),
      Math.max(1, options.timeoutMs),
    );
    socket.once('connect', () => {
      connected = true;
    });
    socket.once('secureConnect', () => {
      try {
        const session = describeSession(socket, host);
        finish(session ? { session } : { error: 'handshake_failed', detail: 'NO_PEER_CERTIFICATE' });
      } catch (error) {
        finish({ error: 'handshake_failed', detail: bounded((error as Error).message, 200) });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = bounded(error.code ?? error.message, 128);
      if (code === 'ECONNREFUSED') finish({ error: 'connection_refused', detail: code });
      else if (connected) finish({ error: 'handshake_failed', detail: code });
      else finish({ error: 'connection_failed', detail: code });
    });
    socket.once('close', () => finish({ error: connected ? 'handshake_failed' : 'connection_failed', detail: 'CLOSED' }));
  });
}

export async function gatherCertificateEvidence(
  host: string,
  options: CertificateGatherOptions,
): Promise<Evidence<CertificateEvidence>> {
  const port = options.port ?? 443;
  const data: CertificateEvidence = {
    host: bounded(host, 253),
    port,
    addresses: [],
    refusedAddresses: [],
    address: null,
    error: null,
    errorDetail: null,
    tls: null,
  };
  const evidence = (): Evidence<CertificateEvidence> => ({
    kind: certificateEvidenceKind,
    gatheredAt: new Date().toISOString(),
    data: certificateEvidenceSchema.parse(data),
  });

  const lookup = await options.resolver.lookupAddresses(host);
  data.addresses = lookup.addresses;
  if (lookup.failure) {
    data.error = lookup.failure;
    return evidence();
  }

  const allowed: string[] = [];
  for (const address of lookup.addresses) {
    try {
      assertTargetAllowed(address, { allowPrivate: options.allowPrivate });
      allowed.push(address);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'target_refused') throw error;
      data.refusedAddresses.push(address);
    }
  }
  const target = allowed[0];
  if (target === undefined) {
    data.error = 'target_refused';
    data.errorDetail = bounded(data.refusedAddresses.join(', '), 256);
    return evidence();
  }

  data.address = target;
  // With an empty trust store the chain Node reports is exactly what the server sent, which
  // tells a missing intermediate apart from one the local store happened to supply.
  const [outcome, sentOnly] = await Promise.all([
    handshake(target, host, options, 'default'),
    handshake(target, host, options, 'none'),
  ]);
  if ('session' in outcome) data.tls = { ...outcome.session, sentChain: 'session' in sentOnly ? sentOnly.session.chain : null };
  else {
    data.error = outcome.error;
    data.errorDetail = outcome.detail;
  }
  return evidence();
}
