// web.cms: which CMS runs the site and is its version still supported? A release cycle past its
// end of life fails; a supported cycle with newer releases available is a warning. Versions are
// judged against the endoflife.date data in src/data/endoflife.
import { judgeVersion } from '../../data/endoflife/lifecycle.ts';
import type { HomePageEvidence } from '../../evidence/web-leaks/home-page-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { cmsLabels, detectCms } from './cms-detection.ts';
import { checkResult } from '../result.ts';

const id = 'web.cms';
const version = 1;

export const webCmsCheck: CheckDefinition<HomePageEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.leaks.home-page',
  titleKey: 'checks.web.cms.title',
  remediationKey: 'checks.web.cms.remediation',
  references: [
    { title: 'OWASP WSTG: Fingerprint Web Application Framework (WSTG-INFO-08)', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/08-Fingerprint_Web_Application_Framework' },
    { title: 'OWASP Top 10 A06:2021 Vulnerable and Outdated Components', url: 'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/' },
    { title: 'CIS Controls v8, safeguard 2.2: Ensure authorized software is currently supported', url: 'https://www.cisecurity.org/controls/inventory-and-control-of-software-assets' },
    { title: 'endoflife.date', url: 'https://endoflife.date/' },
  ],

  judge(evidence, { now }) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, `checks.web.cms.${key}`, params, details);
    if (evidence.error !== null || evidence.status === null) {
      return result('error', 'info', 'unreachable', { url: evidence.requestedUrl, reason: evidence.error ?? 'no_response' }, {
        url: evidence.requestedUrl,
        reason: evidence.error,
        reasonDetail: evidence.errorDetail,
      });
    }
    const detection = detectCms(evidence);
    if (!detection) return result('info', 'info', 'none', {}, { url: evidence.finalUrl, versionFilesProbed: evidence.versionFilesProbed });

    const cms = cmsLabels[detection.cms];
    const base = {
      url: evidence.finalUrl,
      cms: detection.cms,
      version: detection.version,
      versionSource: detection.versionSource,
      signals: detection.signals,
      versionFilesProbed: evidence.versionFilesProbed,
    };
    if (detection.version === null) return result('info', 'info', 'no_version', { cms }, base);

    const verdict = judgeVersion(detection.cms, detection.version, now);
    const details = { ...base, lifecycle: { state: verdict.state, cycle: verdict.cycle, eolFrom: verdict.eolFrom, latest: verdict.latest, dataAsOf: verdict.dataAsOf } };
    const params = { cms, version: detection.version };
    switch (verdict.state) {
      case 'eol':
        return result('fail', 'high', 'end_of_life', { ...params, date: verdict.eolFrom ?? '' }, details);
      case 'outdated':
        return result('warn', 'medium', 'outdated', { ...params, latest: verdict.latest ?? '' }, details);
      case 'supported':
        return result('pass', 'info', 'pass', params, details);
      case 'newer_than_data':
      case 'unknown_cycle':
      case 'unparsable':
        return result('info', 'info', 'not_judged', params, details);
    }
  },
};
