// tls.certificate.chain: does the server send every intermediate certificate between its own
// certificate and a trusted root? Browsers often patch a missing intermediate from a cache or
// by downloading it; mail servers, API clients, apps and payment terminals fail instead.
import type { CertificateEvidence, ChainCertificate } from '../../evidence/tls/certificate-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { gatheringError, nameList, resultMaker } from './tls-results.ts';

const id = 'tls.certificate.chain';
const version = 1;
const make = resultMaker(id, version);
const commonName = (subject: string) => /(?:^|, )CN=([^,]+)/.exec(subject)?.[1] ?? subject;

export const tlsCertificateChainCheck: CheckDefinition<CertificateEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.certificate',
  titleKey: 'checks.tls.certificate.chain.title',
  remediationKey: 'checks.tls.certificate.chain.remediation',
  references: [
    { title: 'RFC 8446 section 4.4.2: Certificate (the chain the server sends)', url: 'https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2' },
    { title: 'RFC 5246 section 7.4.2: Server Certificate', url: 'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const session = evidence.tls;
    if (!session) return make('error', 'info', 'checks.reason.handshake_failed', { host: evidence.host, address: evidence.address ?? '' }, {});
    const sent = session.sentChain;
    const chain = session.chain;
    const fingerprints = chain.map((link) => link.fingerprintSha256);
    if (!sent || fingerprints.some((fingerprint) => fingerprint === undefined)) {
      return make('info', 'info', 'checks.tls.certificate.chain.unknown', {}, { chain });
    }
    const sentFingerprints = new Set(sent.map((link) => link.fingerprintSha256));
    const details = { chain: chain.map(({ subject, issuer, fingerprintSha256 }) => ({ subject, issuer, fingerprintSha256 })), sent: sent.map(({ subject }) => subject) };
    if (session.certificate.selfSigned) return make('info', 'info', 'checks.tls.certificate.chain.self_signed', {}, details);

    const last = chain.at(-1) as ChainCertificate;
    if (last.selfSigned) {
      // The chain reached a root: everything below it the server must send itself.
      const missing = chain.slice(0, -1).filter((link) => !sentFingerprints.has(link.fingerprintSha256));
      if (missing.length === 0) return make('pass', 'info', 'checks.tls.certificate.chain.pass', { count: sent.length }, details);
      return make('fail', 'high', 'checks.tls.certificate.chain.missing', { missing: nameList(missing.map((link) => commonName(link.subject)), 3) }, { ...details, missing: missing.map((link) => link.subject) });
    }
    // No root reached. A leaf from a public CA names where its issuer lives (AIA): that issuer is
    // an intermediate the server should have sent. Without that hint the issuer is just unknown.
    const issuer = commonName(last.issuer);
    if ((session.certificate.caIssuers ?? []).length > 0) {
      return make('fail', 'high', 'checks.tls.certificate.chain.incomplete', { issuer }, { ...details, caIssuers: session.certificate.caIssuers });
    }
    return make('info', 'info', 'checks.tls.certificate.chain.unknown_issuer', { issuer }, details);
  },
};
