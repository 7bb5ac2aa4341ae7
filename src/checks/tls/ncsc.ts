// tls.ncsc: the server's protocol versions and cipher suites classified along the NCSC-NL TLS
// guidelines (good / sufficient / phase out / insufficient); the worst one is the verdict.
import type { CiphersEvidence } from '../../evidence/tls/tls-scan-evidence.ts';
import { findSuite } from '../../net/tls-hello/cipher-suites.ts';
import type { CheckDefinition, CheckStatus, Severity } from '../types.ts';
import { type NcscLevel, ncscTlsGuidelines2025, protocolLevel, suiteLevel, worstLevel } from './ncsc-tls-guidelines.ts';
import { connectionDetails, gatheringError, nameList, protocolLabel, resultMaker } from './tls-results.ts';

const id = 'tls.ncsc';
const version = 1;
const make = resultMaker(id, version);
const guidelines = ncscTlsGuidelines2025;

const verdicts: Record<NcscLevel, { status: CheckStatus; severity: Severity }> = {
  good: { status: 'pass', severity: 'info' },
  sufficient: { status: 'pass', severity: 'info' },
  phase_out: { status: 'warn', severity: 'low' },
  insufficient: { status: 'fail', severity: 'medium' },
};

export const tlsNcscCheck: CheckDefinition<CiphersEvidence> = {
  id,
  version,
  area: 'tls',
  owner: 'it',
  evidenceKind: 'tls.ciphers',
  titleKey: 'checks.tls.ncsc.title',
  remediationKey: 'checks.tls.ncsc.remediation',
  references: [{ title: guidelines.title, url: guidelines.url }],

  judge(evidence) {
    const failed = gatheringError(make, evidence);
    if (failed) return failed;
    const accepted = evidence.protocols.filter((entry) => entry.accepted === true);
    const protocols = accepted.map((entry) => ({ protocol: entry.protocol, level: protocolLevel(guidelines, entry.protocol) }));
    const suites = accepted.flatMap((entry) =>
      entry.suites.map((suite) => ({
        protocol: entry.protocol,
        code: suite.code,
        name: suite.name,
        // SSLv2 cipher specs are not TLS suites: that protocol is insufficient as a whole.
        level: entry.protocol === 'SSLv2' ? ('insufficient' as const) : suiteLevel(guidelines, findSuite(suite.code)?.iana),
      })),
    );
    const level = worstLevel([...protocols.map((item) => item.level), ...suites.map((item) => item.level)]);
    const atWorst = [
      ...protocols.filter((item) => item.level === level).map((item) => protocolLabel(item.protocol)),
      ...suites.filter((item) => item.level === level).map((item) => item.name),
    ];
    const incomplete = evidence.protocols.filter((entry) => !entry.complete).map((entry) => entry.protocol);
    const details = { ...connectionDetails(evidence), guidelines: guidelines.version, level, protocols, suites, incomplete };
    const { status, severity } = verdicts[level];
    return make(status, severity, `checks.tls.ncsc.${level}`, { items: nameList(atWorst, 5), version: guidelines.version }, details);
  },
};
