// The NCSC-NL TLS guidelines as data: the security level of each protocol version and cipher
// suite. Source: NCSC-NL, "ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS)",
// version 2025-05 (June 2025), section 3.3 and appendix B, in the encoding Internet.nl uses for
// it (checks/tasks/tls/tls_constants.py after "Update sslyze branch to NCSC 2025", PR #1800):
// what is not listed as good, sufficient or phase out is insufficient. A new edition of the
// guidelines is a new entry here with its own version, so old verdicts stay explainable.

export const ncscLevels = ['good', 'sufficient', 'phase_out', 'insufficient'] as const;
export type NcscLevel = (typeof ncscLevels)[number];

export interface NcscTlsGuidelines {
  version: string;
  title: string;
  url: string;
  protocols: Record<string, NcscLevel>;
  suites: { good: readonly string[]; sufficient: readonly string[]; phase_out: readonly string[] };
}

export const ncscTlsGuidelines2025: NcscTlsGuidelines = {
  version: '2025-05',
  title: 'NCSC-NL ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS), 2025-05',
  url: 'https://www.ncsc.nl/wat-kun-je-zelf-doen/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05',
  protocols: {
    'TLSv1.3': 'good',
    'TLSv1.2': 'sufficient',
    'TLSv1.1': 'insufficient',
    TLSv1: 'insufficient',
    SSLv3: 'insufficient',
    SSLv2: 'insufficient',
  },
  suites: {
    good: ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    sufficient: [
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_128_CCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      // Internet.nl adds ECDHE_RSA with AES-CCM "as meeting all requirements"; IANA assigns no
      // code to such suites, so no server can offer them and they are left out here.
    ],
    phase_out: [
      'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384',
      'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256',
      'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384',
      'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
      'TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
      'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256',
      'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384',
      'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
      'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384',
      'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256',
      'TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256',
      'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256',
      'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384',
      'TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384',
      'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256',
      'TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256',
      'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_DHE_RSA_WITH_AES_256_CCM',
      'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
      'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_DHE_RSA_WITH_AES_128_CCM',
      'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
    ],
  },
};

const levelRank: Record<NcscLevel, number> = { good: 0, sufficient: 1, phase_out: 2, insufficient: 3 };

export function worstLevel(levels: NcscLevel[]): NcscLevel {
  return levels.reduce<NcscLevel>((worst, level) => (levelRank[level] > levelRank[worst] ? level : worst), 'good');
}

export function protocolLevel(guidelines: NcscTlsGuidelines, protocol: string): NcscLevel {
  return guidelines.protocols[protocol] ?? 'insufficient';
}

export function suiteLevel(guidelines: NcscTlsGuidelines, ianaName: string | undefined): NcscLevel {
  if (!ianaName) return 'insufficient';
  if (guidelines.suites.good.includes(ianaName)) return 'good';
  if (guidelines.suites.sufficient.includes(ianaName)) return 'sufficient';
  if (guidelines.suites.phase_out.includes(ianaName)) return 'phase_out';
  return 'insufficient';
}
