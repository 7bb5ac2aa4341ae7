// tls.certificate.key: is the key in the certificate (and in the intermediates the server sends)
// strong enough? RSA below 2048 bits and elliptic curves below 256 bits fail; DSA is obsolete.
import type { CertificateEvidence } from '../../evidence/tls/certificate-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { gatheringError, nameList, resultMaker } from './tls-results.ts';

const id = 'tls.certificate.key';
const version = 1;
const make = resultMaker(id, version);
export const minimumRsaBits = 2048;
export const minimumEcBits = 256;

interface KeyFacts {
  subject: string;
  keyType?: string | null | undefined;
  keyBits?: number | null | undefined;
}

const describeKey = (key: KeyFacts) => `${(key.keyType ?? '?').toUpperCase()} ${key.keyBits ?? '?'}`;

function weakness(key: KeyFacts): 'too_small' | 'obsolete' | undefined {
  if (key.keyType === 'rsa' || key.keyType === 'rsa-pss') return (key.keyBits ?? 0) < minimumRsaBits ? 'too_small' : undefined;
  if (key.keyType === 'ec') return (key.keyBits ?? 0) < minimumEcBits ? 'too_small' : undefined;
  if (key.keyType === 'dsa') return 'obsolete';
  return undefined;
}

export const tlsCertificateKeyCheck: CheckDefinition<CertificateEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.certificate',
  titleKey: 'checks.tls.certificate.key.title',
  remediationKey: 'checks.tls.certificate.key.remediation',
  references: [
    { title: 'CA/Browser Forum Baseline Requirements, section 6.1.5: key sizes', url: 'https://cabforum.org/working-groups/server/baseline-requirements/' },
    { title: 'NIST SP 800-57 Part 1 Rev. 5: key management, security strength', url: 'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final' },
    { title: 'NCSC-NL: ICT-beveiligingsrichtlijnen voor TLS (2025-05)', url: 'https://www.ncsc.nl/wat-kun-je-zelf-doen/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const session = evidence.tls;
    if (!session) return make('error', 'info', 'checks.reason.handshake_failed', { host: evidence.host, address: evidence.address ?? '' }, {});
    const leaf: KeyFacts = { subject: session.certificate.subject, keyType: session.certificate.keyType, keyBits: session.certificate.keyBits };
    // The intermediates the server sends (not the roots: their keys are the trust store's business).
    const intermediates: KeyFacts[] = (session.sentChain ?? []).slice(1).filter((link) => link.selfSigned !== true);
    const weak = [leaf, ...intermediates].filter((key) => weakness(key) !== undefined).map((key) => ({ ...key, problem: weakness(key) }));
    const details = { keyType: leaf.keyType, keyBits: leaf.keyBits, keyCurve: session.certificate.keyCurve, weak };
    if (weak.length > 0) {
      const keys = nameList(weak.map((key) => `${describeKey(key)} (${key.subject})`), 3);
      return make('fail', 'high', 'checks.tls.certificate.key.weak', { keys }, details);
    }
    if (leaf.keyType === null || leaf.keyBits === null) return make('info', 'info', 'checks.tls.certificate.key.unknown', { key: describeKey(leaf) }, details);
    return make('pass', 'info', 'checks.tls.certificate.key.pass', { key: describeKey(leaf) }, details);
  },
};
