// tls.weak-ciphers: does the server accept a cipher suite that is broken on its own — no
// encryption (NULL), no authentication (anonymous), EXPORT grade, RC4, DES, RC2, 3DES or IDEA?
import type { CiphersEvidence } from '../../evidence/tls/tls-scan-evidence.ts';
import { findSuite, type Weakness, weaknesses } from '../../net/tls-hello/cipher-suites.ts';
import type { CheckDefinition, Severity } from '../types.ts';
import { connectionDetails, gatheringError, nameList, protocolLabel, resultMaker } from './tls-results.ts';

const id = 'tls.weak-ciphers';
const version = 1;
const make = resultMaker(id, version);
/** No confidentiality or no authentication at all: anyone on the path reads or impersonates. */
const critical = new Set<Weakness>(['null', 'anonymous', 'export']);
/** Language-neutral labels for summaries, as OpenSSL and testssl.sh name these groups. */
const labels: Record<Weakness, string> = { null: 'NULL', anonymous: 'aNULL', export: 'EXPORT', rc4: 'RC4', des: 'DES', rc2: 'RC2', '3des': '3DES', idea: 'IDEA' };

export const tlsWeakCiphersCheck: CheckDefinition<CiphersEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.ciphers',
  titleKey: 'checks.tls.weak-ciphers.title',
  remediationKey: 'checks.tls.weak-ciphers.remediation',
  references: [
    { title: 'RFC 7465: Prohibiting RC4 Cipher Suites', url: 'https://www.rfc-editor.org/rfc/rfc7465' },
    { title: 'RFC 9325: Recommendations for Secure Use of TLS and DTLS', url: 'https://www.rfc-editor.org/rfc/rfc9325' },
    { title: 'Sweet32: birthday attacks on 64-bit block ciphers (3DES)', url: 'https://sweet32.info/' },
    { title: 'NCSC-NL: ICT-beveiligingsrichtlijnen voor TLS (2025-05)', url: 'https://www.ncsc.nl/wat-kun-je-zelf-doen/documenten/publicaties/2025/juni/01/ict-beveiligingsrichtlijnen-voor-transport-layer-security-2025-05' },
  ],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const weak: Array<{ protocol: string; code: string; name: string; weaknesses: Weakness[] }> = [];
    for (const entry of evidence.protocols) {
      for (const suite of entry.suites) {
        const found = findSuite(suite.code)?.weaknesses ?? [];
        if (found.length > 0) weak.push({ protocol: entry.protocol, code: suite.code, name: suite.name, weaknesses: found });
      }
    }
    const categories = weaknesses.filter((weakness) => weak.some((suite) => suite.weaknesses.includes(weakness)));
    const incomplete = evidence.protocols.filter((entry) => !entry.complete).map((entry) => entry.protocol);
    const details = { ...connectionDetails(evidence), weak, categories, incomplete };

    if (weak.length > 0) {
      const severity: Severity = categories.some((category) => critical.has(category)) ? 'critical' : 'high';
      const protocols = nameList([...new Set(weak.map((suite) => suite.protocol))].map(protocolLabel));
      return make('fail', severity, 'checks.tls.weak-ciphers.fail', { suites: nameList(weak.map((suite) => suite.name), 5), categories: categories.map((category) => labels[category]).join(', '), protocols }, details);
    }
    if (incomplete.length > 0) {
      return make('info', 'info', 'checks.tls.weak-ciphers.incomplete', { protocols: nameList(incomplete.map(protocolLabel)) }, details);
    }
    return make('pass', 'info', 'checks.tls.weak-ciphers.pass', {}, details);
  },
};
