// tls.legacy-protocols: does the server still accept SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 (all
// broken or deprecated, RFC 6176, RFC 7568, RFC 8996), and does it offer TLS 1.3?
import type { ProtocolsEvidence } from '../../evidence/tls/tls-scan-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { connectionDetails, gatheringError, nameList, protocolLabel, resultMaker } from './tls-results.ts';

const id = 'tls.legacy-protocols';
const version = 1;
const make = resultMaker(id, version);
const sslVersions = new Set(['SSLv2', 'SSLv3']);
const legacyVersions = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

export const tlsLegacyProtocolsCheck: CheckDefinition<ProtocolsEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.protocols',
  titleKey: 'checks.tls.legacy-protocols.title',
  remediationKey: 'checks.tls.legacy-protocols.remediation',
  references: [
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
    { title: 'RFC 7568: Deprecating Secure Sockets Layer Version 3.0', url: 'https://www.rfc-editor.org/rfc/rfc7568' },
    { title: 'RFC 6176: Prohibiting Secure Sockets Layer (SSL) Version 2.0', url: 'https://www.rfc-editor.org/rfc/rfc6176' },
    { title: 'NCSC-NL: ICT-beveiligingsrichtlijnen voor TLS (2025-05)', url: 'https://www.ncsc.nl/wat-kun-je-zelf-doen/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const accepted = evidence.protocols.filter((entry) => entry.accepted === true).map((entry) => entry.protocol);
    const unknown = evidence.protocols.filter((entry) => entry.accepted === null).map((entry) => entry.protocol);
    const legacy = accepted.filter((protocol) => legacyVersions.has(protocol));
    const details = { ...connectionDetails(evidence), accepted, unknown, legacy, protocols: evidence.protocols };

    if (legacy.length > 0) {
      const severity = legacy.some((protocol) => sslVersions.has(protocol)) ? 'high' : 'medium';
      return make('fail', severity, 'checks.tls.legacy-protocols.fail', { protocols: nameList(legacy.map(protocolLabel)) }, details);
    }
    if (!accepted.includes('TLSv1.3')) {
      return make('notice', 'low', 'checks.tls.legacy-protocols.no_tls13', { protocols: nameList(accepted.map(protocolLabel)) }, details);
    }
    return make('pass', 'info', 'checks.tls.legacy-protocols.pass', { protocols: nameList(accepted.map(protocolLabel)) }, details);
  },
};
