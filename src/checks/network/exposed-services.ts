// network.exposed-services: which risky services answer on the company's own addresses? Each
// service was identified by talking its protocol; the worst one decides the verdict (levels in
// ./exposure-levels.ts). SSH alone is reported as info; an open port nobody recognised is a notice.
// Version 2: UDP results (SNMP answering the default community) are judged, with their own
// summary when SNMP is the only high finding.
import type { ExposureEvidence, PortResultEvidence } from '../../evidence/exposure/exposure-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { type ExposureLevel, exposureLevel, levelRank, serviceLabels } from './exposure-levels.ts';
import { checkResult } from '../result.ts';

const id = 'network.exposed-services';
const version = 2;
const maxListed = 12;

export interface ExposedService {
  address: string;
  port: number;
  transport: PortResultEvidence['transport'];
  service: string | null;
  product: string | null;
  version: string | null;
  level: ExposureLevel;
  detail: PortResultEvidence['detail'];
  banner: string | null;
}

export function openServices(evidence: ExposureEvidence): ExposedService[] {
  return evidence.targets
    .flatMap((target) =>
      target.ports
        .filter((port) => port.state === 'open')
        .map((port) => ({
          address: target.address,
          port: port.port,
          transport: port.transport,
          service: port.service,
          product: port.product,
          version: port.version,
          level: exposureLevel(port),
          detail: port.detail,
          banner: port.banner,
        })),
    )
    .sort((a, b) => levelRank[b.level] - levelRank[a.level] || a.port - b.port);
}

const describe = (found: ExposedService) =>
  `${found.service ? serviceLabels[found.service as keyof typeof serviceLabels] : '?'} (${found.address}:${found.port}${found.transport === 'udp' ? '/udp' : ''})`;

export const networkExposedServicesCheck: CheckDefinition<ExposureEvidence> = {
  id,
  version,
  area: 'network',
  owner: 'it',
  evidenceKind: 'network.exposure',
  titleKey: 'checks.network.exposed-services.title',
  remediationKey: 'checks.network.exposed-services.remediation',
  references: [
    { title: 'CIS Controls v8, Safeguards 4.4, 4.8 and 12.2: firewalls, no unnecessary services, secure network architecture', url: 'https://www.cisecurity.org/controls/v8' },
    { title: 'CISA Known Exploited Vulnerabilities Catalog (remote access and file sharing are the most exploited entry points)', url: 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog' },
    { title: 'Digital Trust Center (Dutch government advice for SMEs on securing remote access)', url: 'https://www.digitaltrustcenter.nl/' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, key, params, details);
    if (evidence.error !== null) {
      return result('error', 'info', `checks.reason.${evidence.error}`, { host: evidence.domain, address: evidence.refusedAddresses[0] ?? '' }, {
        reason: evidence.error,
        hosts: evidence.hosts,
        refusedAddresses: evidence.refusedAddresses,
      });
    }
    const found = openServices(evidence);
    const addresses = evidence.targets.map((target) => target.address);
    const details = {
      addresses,
      portsPerAddress: evidence.portsPerAddress,
      complete: evidence.complete,
      durationMs: evidence.durationMs,
      services: found.slice(0, 64),
    };
    const worst = found[0];
    const listed = (level: ExposureLevel) =>
      found
        .filter((service) => service.level === level)
        .slice(0, maxListed)
        .map(describe)
        .join(', ');
    const params = { count: found.length, addresses: addresses.join(', '), ports: evidence.portsPerAddress };
    if (worst?.level === 'critical') return result('fail', 'critical', 'checks.network.exposed-services.critical', { ...params, services: listed('critical') }, details);
    const high = found.filter((service) => service.level === 'high');
    if (worst?.level === 'high' && high.every((service) => service.service === 'snmp')) {
      // SNMP answering the default community: anyone can read the device's details, often more.
      const community = String(high[0]?.detail.community ?? 'public');
      return result('fail', 'high', 'checks.network.exposed-services.snmp', { ...params, services: listed('high'), community, sysDescr: (high[0]?.banner ?? '?').slice(0, 160) }, details);
    }
    if (worst?.level === 'high') return result('fail', 'high', 'checks.network.exposed-services.high', { ...params, services: listed('high') }, details);
    if (worst?.level === 'medium') return result('warn', 'medium', 'checks.network.exposed-services.medium', { ...params, services: listed('medium') }, details);
    if (worst?.level === 'low') return result('notice', 'low', 'checks.network.exposed-services.low', { ...params, services: listed('low') }, details);
    if (!evidence.complete) return result('notice', 'low', 'checks.network.exposed-services.incomplete', params, details);
    if (worst?.level === 'info') return result('info', 'info', 'checks.network.exposed-services.info', { ...params, services: listed('info') }, details);
    return result('pass', 'info', 'checks.network.exposed-services.pass', params, details);
  },
};
