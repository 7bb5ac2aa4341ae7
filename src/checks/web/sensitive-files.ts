// web.sensitive-files: can anyone download files that should never be public — a .git
// directory, a .env with passwords, configuration backups, database dumps, phpinfo pages,
// server status pages, directory listings? Every finding was confirmed by the file's content.
import type { ProbeOutcome, SensitiveFilesEvidence } from '../../evidence/web-leaks/sensitive-files-evidence.ts';
import type { SensitiveFileKind } from '../../evidence/web-leaks/sensitive-files-probes.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'web.sensitive-files';
const version = 1;

/** Secrets or whole databases are critical; what maps the site for an attacker is high. */
export const severityOfKind: Record<SensitiveFileKind, 'critical' | 'high'> = {
  env: 'critical',
  htpasswd: 'critical',
  config_backup: 'critical',
  archive: 'critical',
  sql_dump: 'critical',
  git: 'high',
  phpinfo: 'high',
  server_status: 'high',
  ds_store: 'high',
  debug_log: 'high',
  directory_listing: 'high',
};

const rank = (severity: 'critical' | 'high') => (severity === 'critical' ? 2 : 1);

export const webSensitiveFilesCheck: CheckDefinition<SensitiveFilesEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.leaks.sensitive-files',
  titleKey: 'checks.web.sensitive-files.title',
  remediationKey: 'checks.web.sensitive-files.remediation',
  references: [
    { title: 'OWASP WSTG: Review Old Backup and Unreferenced Files (WSTG-CONF-04)', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information' },
    { title: 'OWASP Top 10 A05:2021 Security Misconfiguration', url: 'https://owasp.org/Top10/A05_2021-Security_Misconfiguration/' },
    { title: 'CWE-538: Insertion of Sensitive Information into Externally-Accessible File or Directory', url: 'https://cwe.mitre.org/data/definitions/538.html' },
    { title: 'CWE-548: Exposure of Information Through Directory Listing', url: 'https://cwe.mitre.org/data/definitions/548.html' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, `checks.web.sensitive-files.${key}`, params, details);
    if (evidence.error !== null || evidence.baseline === null) {
      return result('error', 'info', 'unreachable', { url: evidence.origin ?? '', reason: evidence.error ?? 'no_response' }, {
        origin: evidence.origin,
        reason: evidence.error,
        reasonDetail: evidence.errorDetail,
      });
    }
    const exposed = evidence.probes.filter((probe) => probe.confirmed && !probe.soft404);
    const listed = (probes: ProbeOutcome[]) =>
      probes.map(({ path, kind, status, marker, excerpt }) => ({ path, kind, status, marker, excerpt, severity: severityOfKind[kind] }));
    const details = {
      origin: evidence.origin,
      exposed: listed(exposed),
      probed: evidence.probes.map((probe) => probe.path),
      softNotFound: evidence.probes.some((probe) => probe.soft404) || evidence.baseline.status === 200,
      incomplete: evidence.incomplete,
    };
    if (exposed.length > 0) {
      const worst = exposed.reduce((most, probe) => (rank(severityOfKind[probe.kind]) > rank(severityOfKind[most.kind]) ? probe : most));
      const paths = exposed.map((probe) => probe.path).join(', ').slice(0, 300);
      return result('fail', severityOfKind[worst.kind], 'exposed', { count: exposed.length, paths, path: worst.path }, details);
    }
    if (evidence.incomplete) return result('info', 'info', 'incomplete', { count: evidence.probes.length }, details);
    return result('pass', 'info', 'pass', { count: evidence.probes.length }, details);
  },
};
