// The TLS client contexts every prober shares. Building a SecureContext with Node's trust store
// parses ~150 root certificates; doing that per connection cost more CPU than the handshakes
// themselves (and held a copy of the roots per open connection). Contexts hold configuration
// only — trust, protocol range, cipher list — never per-connection state: Node's client
// contexts keep no session cache of their own, so sharing one cannot leak a session between
// hosts. Kept per distinct configuration, with a small bound.
import { createSecureContext, getCACertificates, type SecureContext, type SecureVersion } from 'node:tls';

export interface ClientContextOptions {
  /**
   * Certificates to verify against: 'default' is Node's store (bundled roots plus
   * NODE_EXTRA_CA_CERTS) plus `extraCa`; 'none' is an empty store, so that a handshake reports
   * exactly the chain the server sent.
   */
  trust: 'default' | 'none';
  /** PEM certificates trusted beyond Node's store (tests, demo); only with trust 'default'. */
  extraCa?: readonly string[];
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** OpenSSL cipher list; `DEFAULT:@SECLEVEL=0` unless given (legacy servers are judged, not refused). */
  ciphers?: string;
}

/** What a lenient prober uses: any version from TLS 1.0, any suite at security level 0. */
export const lenientCiphers = 'DEFAULT:@SECLEVEL=0';

const maxContexts = 32;
const contexts = new Map<string, SecureContext>();

/** Node's default trust (bundled roots + NODE_EXTRA_CA_CERTS) plus the caller's extra CAs. */
export function trustedCertificates(extraCa: readonly string[] = []): string[] {
  return [...getCACertificates('default'), ...extraCa];
}

/** A shared client SecureContext for this configuration; pass it as `secureContext` to tls.connect. */
export function clientSecureContext(options: ClientContextOptions): SecureContext {
  const extraCa = options.trust === 'default' ? (options.extraCa ?? []) : [];
  const minVersion = options.minVersion ?? 'TLSv1';
  const maxVersion = options.maxVersion ?? 'TLSv1.3';
  const ciphers = options.ciphers ?? lenientCiphers;
  const key = JSON.stringify([options.trust, minVersion, maxVersion, ciphers, extraCa]);
  let context = contexts.get(key);
  if (context) {
    // Most recently used last, so the bound evicts what nobody asked for lately.
    contexts.delete(key);
    contexts.set(key, context);
    return context;
  }
  context = createSecureContext({
    ca: options.trust === 'default' ? trustedCertificates(extraCa) : [],
    minVersion,
    maxVersion,
    ciphers,
  });
  if (contexts.size >= maxContexts) contexts.delete(contexts.keys().next().value as string);
  contexts.set(key, context);
  return context;
}
