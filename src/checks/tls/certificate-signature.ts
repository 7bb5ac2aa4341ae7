// tls.certificate.signature: is any certificate in the chain (other than a root, whose own
// signature nobody checks) signed with SHA-1 or MD5, for which forged certificates have been made?
import type { CertificateEvidence } from '../../evidence/tls/certificate-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { gatheringError, nameList, resultMaker } from './tls-results.ts';

const id = 'tls.certificate.signature';
const version = 1;
const make = resultMaker(id, version);
const brokenHash = /sha-?1(?!\d)|md[25]/i;

export const tlsCertificateSignatureCheck: CheckDefinition<CertificateEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.certificate',
  titleKey: 'checks.tls.certificate.signature.title',
  remediationKey: 'checks.tls.certificate.signature.remediation',
  references: [
    { title: 'SHAttered: the first SHA-1 collision', url: 'https://shattered.io/' },
    { title: 'CA/Browser Forum Baseline Requirements, section 7.1.3: signature algorithms', url: 'https://cabforum.org/working-groups/server/baseline-requirements/' },
    { title: 'RFC 9155: Deprecating MD5 and SHA-1 Signature Hashes in TLS 1.2', url: 'https://www.rfc-editor.org/rfc/rfc9155' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const session = evidence.tls;
    if (!session) return make('error', 'info', 'checks.reason.handshake_failed', { host: evidence.host, address: evidence.address ?? '' }, {});
    const certificates = [
      { subject: session.certificate.subject, signatureAlgorithm: session.certificate.signatureAlgorithm, selfSigned: session.certificate.selfSigned },
      ...[...session.chain.slice(1), ...(session.sentChain ?? []).slice(1)].map((link) => ({ subject: link.subject, signatureAlgorithm: link.signatureAlgorithm ?? null, selfSigned: link.selfSigned === true })),
    ];
    const seen = new Set<string>();
    const weak = certificates.filter((certificate) => {
      const key = `${certificate.subject}|${certificate.signatureAlgorithm}`;
      if (seen.has(key)) return false;
      seen.add(key);
      // A self-signed leaf is judged (it is what the server presents); a self-signed root is not.
      const isRoot = certificate.selfSigned && certificate !== certificates[0];
      return !isRoot && brokenHash.test(certificate.signatureAlgorithm ?? '');
    });
    const details = { signatureAlgorithm: session.certificate.signatureAlgorithm, weak };
    if (weak.length > 0) {
      const algorithms = [...new Set(weak.map((certificate) => certificate.signatureAlgorithm ?? ''))].join(', ');
      return make('fail', 'high', 'checks.tls.certificate.signature.weak', { algorithms, certificates: nameList(weak.map((certificate) => certificate.subject), 3) }, details);
    }
    if (!session.certificate.signatureAlgorithm) return make('info', 'info', 'checks.tls.certificate.signature.unknown', {}, details);
    return make('pass', 'info', 'checks.tls.certificate.signature.pass', { algorithm: session.certificate.signatureAlgorithm }, details);
  },
};
