// web.banners: do the response headers tell an attacker which server software and version run
// the site? A disclosed version is a notice; a disclosed version that is outdated within its
// release cycle is a warning; one whose cycle is past its end of life is a failure.
import { judgeIisVersion, judgeVersion, type LifecycleVerdict } from '../../data/endoflife/lifecycle.ts';
import type { HomePageEvidence } from '../../evidence/web-leaks/home-page-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { type Banner, bannerText, parseBanners } from './banners-parse.ts';
import { checkResult } from '../result.ts';

const id = 'web.banners';
const version = 1;

interface JudgedBanner {
  banner: Banner;
  verdict: LifecycleVerdict | null;
}

function judgeBanner(banner: Banner, now: Date): LifecycleVerdict | null {
  if (!banner.version || !banner.lifecycle) return null;
  return banner.lifecycle === 'iis' ? judgeIisVersion(banner.version, now) : judgeVersion(banner.lifecycle, banner.version, now);
}

export const webBannersCheck: CheckDefinition<HomePageEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.leaks.home-page',
  titleKey: 'checks.web.banners.title',
  remediationKey: 'checks.web.banners.remediation',
  references: [
    { title: 'OWASP WSTG: Fingerprint Web Server (WSTG-INFO-02)', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server' },
    { title: 'OWASP Top 10 A06:2021 Vulnerable and Outdated Components', url: 'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/' },
    { title: 'NCSC: ICT-beveiligingsrichtlijnen voor webapplicaties', url: 'https://www.ncsc.nl/documenten/publicaties/2019/mei/01/ict-beveiligingsrichtlijnen-voor-webapplicaties' },
    { title: 'endoflife.date', url: 'https://endoflife.date/' },
  ],

  judge(evidence, { now }) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, `checks.web.banners.${key}`, params, details);
    if (evidence.error !== null || evidence.status === null) {
      return result('error', 'info', 'unreachable', { url: evidence.requestedUrl, reason: evidence.error ?? 'no_response' }, {
        url: evidence.requestedUrl,
        reason: evidence.error,
        reasonDetail: evidence.errorDetail,
      });
    }

    const report = parseBanners(evidence.headers);
    const judged: JudgedBanner[] = report.banners.map((banner) => ({ banner, verdict: judgeBanner(banner, now) }));
    const disclosed = judged.filter(({ banner }) => banner.version !== null);
    const details = {
      url: evidence.finalUrl,
      distribution: report.distribution,
      banners: judged.map(({ banner, verdict }) => ({
        header: banner.header,
        product: banner.product,
        version: banner.version,
        lifecycle: verdict && { state: verdict.state, cycle: verdict.cycle, eolFrom: verdict.eolFrom, latest: verdict.latest, dataAsOf: verdict.dataAsOf },
      })),
    };
    const list = disclosed.map(({ banner }) => bannerText(banner)).join(', ').slice(0, 300);

    const endOfLife = disclosed.find(({ verdict }) => verdict?.state === 'eol');
    if (endOfLife?.verdict) {
      return result('fail', 'high', 'end_of_life', {
        product: endOfLife.verdict.label,
        version: endOfLife.banner.version ?? '',
        date: endOfLife.verdict.eolFrom ?? '',
        banners: list,
      }, details);
    }
    // A distribution's package keeps its upstream version number while getting backported
    // fixes, so "behind the latest upstream release" says nothing there.
    const outdated = report.distribution === null ? disclosed.find(({ verdict }) => verdict?.state === 'outdated') : undefined;
    if (outdated?.verdict) {
      return result('warn', 'medium', 'outdated', {
        product: outdated.verdict.label,
        version: outdated.banner.version ?? '',
        latest: outdated.verdict.latest ?? '',
        banners: list,
      }, details);
    }
    if (disclosed.length > 0) return result('notice', 'low', 'disclosed', { banners: list }, details);
    return result('pass', 'info', 'pass', {}, details);
  },
};
