// tls.forward-secrecy: are sessions protected by an ephemeral key exchange (ECDHE, DHE, or TLS 1.3),
// so that a key stolen later cannot decrypt traffic recorded today?
import type { CiphersEvidence } from '../../evidence/tls/tls-scan-evidence.ts';
import { findSuite } from '../../net/tls-hello/cipher-suites.ts';
import type { CheckDefinition } from '../types.ts';
import { connectionDetails, gatheringError, nameList, protocolLabel, resultMaker } from './tls-results.ts';

const id = 'tls.forward-secrecy';
const version = 1;
const make = resultMaker(id, version);

export const tlsForwardSecrecyCheck: CheckDefinition<CiphersEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.ciphers',
  titleKey: 'checks.tls.forward-secrecy.title',
  remediationKey: 'checks.tls.forward-secrecy.remediation',
  references: [
    { title: 'RFC 9325: Recommendations for Secure Use of TLS and DTLS, section 4.1', url: 'https://www.rfc-editor.org/rfc/rfc9325#section-4.1' },
    { title: 'NCSC-NL: ICT-beveiligingsrichtlijnen voor TLS (2025-05)', url: 'https://www.ncsc.nl/wat-kun-je-zelf-doen/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const suites = evidence.protocols.flatMap((entry) => entry.suites.map((suite) => ({ protocol: entry.protocol, ...suite, forwardSecrecy: findSuite(suite.code)?.forwardSecrecy ?? false })));
    const withForwardSecrecy = suites.filter((suite) => suite.forwardSecrecy);
    const without = suites.filter((suite) => !suite.forwardSecrecy);
    const incomplete = evidence.protocols.filter((entry) => !entry.complete).map((entry) => entry.protocol);
    const details = {
      ...connectionDetails(evidence),
      withForwardSecrecy: withForwardSecrecy.length,
      without: without.map(({ protocol, code, name }) => ({ protocol, code, name })),
      incomplete,
    };

    if (suites.length === 0) {
      return make('info', 'info', 'checks.tls.forward-secrecy.incomplete', { protocols: nameList(incomplete.map(protocolLabel)) }, details);
    }
    if (withForwardSecrecy.length === 0) return make('fail', 'high', 'checks.tls.forward-secrecy.none', {}, details);
    if (without.length > 0) {
      return make('warn', 'medium', 'checks.tls.forward-secrecy.partial', { count: new Set(without.map((suite) => suite.code)).size, suites: nameList(without.map((suite) => suite.name), 4) }, details);
    }
    return make('pass', 'info', 'checks.tls.forward-secrecy.pass', {}, details);
  },
};
