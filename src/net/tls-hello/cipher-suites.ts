// What a cipher suite is made of and what is wrong with it, derived from the facts in
// cipher-suite-data.ts. Pure data and functions: checks import this to judge stored evidence, so a
// better table re-judges old scans without probing again.
import { type SuiteRow, suiteRows } from './cipher-suite-data.ts';

export const protocolVersions = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type ProtocolVersion = (typeof protocolVersions)[number];

/** Wire version numbers of the record and hello (SSLv2 has its own framing). */
export const wireVersion: Record<Exclude<ProtocolVersion, 'SSLv2'>, number> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

/**
 * Weakness categories that make a suite unacceptable on its own, named after testssl.sh's
 * standard cipher categories: NULL (no encryption), anonymous (no authentication, aNULL),
 * EXPORT (deliberately weakened), LOW (DES, RC2, RC4, 64-bit keys) and 3DES/IDEA (64-bit blocks, Sweet32).
 */
export const weaknesses = ['null', 'anonymous', 'export', 'rc4', 'des', 'rc2', '3des', 'idea'] as const;
export type Weakness = (typeof weaknesses)[number];

export interface CipherSuite {
  /** `c02f` for TLS suites, `0700c0` for SSLv2 cipher specs. */
  code: string;
  iana: string;
  openssl: string;
  /** First protocol version that defines the suite. */
  since: string;
  keyExchange: string;
  authentication: string;
  encryption: string;
  bits: number;
  mac: string;
  /** Ephemeral key exchange with authentication (ECDHE, DHE) or TLS 1.3. */
  forwardSecrecy: boolean;
  aead: boolean;
  weaknesses: Weakness[];
}

export const codeText = (code: number, bytes = 2): string => code.toString(16).padStart(bytes * 2, '0');

function weaknessesOf(row: SuiteRow): Weakness[] {
  const [, , , , keyExchange, authentication, encryption, , , exportGrade] = row;
  const found: Weakness[] = [];
  if (encryption === 'None') found.push('null');
  // PSK, SRP and Kerberos authenticate by other means; only "None" means nobody is authenticated.
  if (authentication === 'None') found.push('anonymous');
  if (exportGrade === 1 || /\((512|1024)\)$/.test(keyExchange)) found.push('export');
  if (encryption === 'RC4') found.push('rc4');
  if (encryption === 'DES') found.push('des');
  if (encryption === 'RC2') found.push('rc2');
  if (encryption === '3DES') found.push('3des');
  if (encryption === 'IDEA') found.push('idea');
  return [...new Set(found)];
}

function forwardSecrecyOf(row: SuiteRow): boolean {
  const [, , , , keyExchange, authentication] = row;
  if (authentication === 'None') return false;
  return ['DH', 'ECDH', 'DHEPSK', 'ECDHEPSK', 'CECPQ1', 'any'].includes(keyExchange);
}

function describe(row: SuiteRow): CipherSuite {
  const [code, openssl, iana, since, keyExchange, authentication, encryption, bits, mac] = row;
  return {
    code: codeText(code, since === 'SSLv2' ? 3 : 2),
    iana,
    openssl,
    since,
    keyExchange,
    authentication,
    encryption,
    bits,
    mac,
    forwardSecrecy: forwardSecrecyOf(row),
    aead: mac === 'AEAD',
    weaknesses: weaknessesOf(row),
  };
}

export const cipherSuites: readonly CipherSuite[] = suiteRows.map(describe);
const byCode = new Map(cipherSuites.map((suite) => [suite.code, suite]));

export function findSuite(code: string): CipherSuite | undefined {
  return byCode.get(code.toLowerCase());
}

/** The name people know a suite by: IANA's, else OpenSSL's, else its code. */
export function suiteName(code: string): string {
  const suite = findSuite(code);
  return suite?.iana || suite?.openssl || `0x${code.toUpperCase()}`;
}

const sinceRank: Record<string, number> = { SSLv2: 0, SSLv3: 1, TLSv1: 2, 'TLSv1.2': 4, 'TLSv1.3': 5 };
const protocolRank: Record<ProtocolVersion, number> = { SSLv2: 0, SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };

const suitesByProtocol = new Map<ProtocolVersion, readonly number[]>();

/** Suite codes (numbers) a client may offer in a hello of this version, strongest first. */
export function suitesFor(protocol: Exclude<ProtocolVersion, 'SSLv2'>): number[] {
  // Worked out once per version: every scan asks for each version's list.
  let codes = suitesByProtocol.get(protocol);
  if (!codes) {
    const rank = protocolRank[protocol];
    codes = suiteRows
      .filter(([, , , since]) => since !== 'SSLv2')
      .filter(([, , , since]) => (protocol === 'TLSv1.3' ? since === 'TLSv1.3' : since !== 'TLSv1.3' && (sinceRank[since] ?? 9) <= rank))
      .map(([code]) => code);
    suitesByProtocol.set(protocol, codes);
  }
  return [...codes];
}

/** SSLv2 cipher specs (3-byte codes). */
const sslv2Codes: readonly number[] = suiteRows.filter(([, , , since]) => since === 'SSLv2').map(([code]) => code);

export function sslv2Specs(): number[] {
  return [...sslv2Codes];
}
