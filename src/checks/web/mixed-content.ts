// web.mixed-content: does the HTTPS home page load resources over plain HTTP? Active (blockable)
// mixed content — scripts, style sheets, frames, plugins, form targets — lets a network attacker
// take over the page and fails; passive (upgradeable) content — images, audio, video — lets them
// see or swap what is shown and is a warning. Classification after the W3C Mixed Content spec.
import type { HomePageEvidence } from '../../evidence/web-leaks/home-page-evidence.ts';
import type { ResourceReference } from '../../evidence/web-leaks/page-facts.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

const id = 'web.mixed-content';
const version = 1;
const maxListed = 20;

export type MixedContentKind = 'active' | 'passive' | 'form';

const passiveTags = new Set(['img', 'audio', 'video', 'source', 'input']);
const activeTags = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'track']);
const activeLinkRels = new Set(['stylesheet', 'preload', 'modulepreload', 'manifest', 'import']);
const passiveLinkRels = new Set(['icon', 'apple-touch-icon', 'apple-touch-icon-precomposed', 'mask-icon']);

/** How a browser treats a plain-HTTP reference on an HTTPS page, or undefined when it loads nothing. */
export function mixedContentKind(reference: ResourceReference): MixedContentKind | undefined {
  if (!/^http:/i.test(reference.url)) return undefined;
  if (reference.tag === 'form' || reference.tag === 'button') return 'form';
  if (reference.tag === 'link') {
    const rels = (reference.rel ?? '').split(/\s+/);
    if (rels.some((rel) => activeLinkRels.has(rel))) return 'active';
    if (rels.some((rel) => passiveLinkRels.has(rel))) return 'passive';
    return undefined; // canonical, alternate, preconnect, …: nothing is loaded into the page
  }
  if (activeTags.has(reference.tag)) return 'active';
  if (passiveTags.has(reference.tag)) return 'passive';
  return undefined;
}

export const webMixedContentCheck: CheckDefinition<HomePageEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.leaks.home-page',
  titleKey: 'checks.web.mixed-content.title',
  remediationKey: 'checks.web.mixed-content.remediation',
  references: [
    { title: 'W3C Mixed Content', url: 'https://www.w3.org/TR/mixed-content/' },
    { title: 'MDN: Mixed content', url: 'https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content' },
    { title: 'OWASP Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
  ],

  judge(evidence) {
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, `checks.web.mixed-content.${key}`, params, details);
    if (evidence.error !== null || evidence.status === null || evidence.finalUrl === null) {
      return result('error', 'info', 'unreachable', { url: evidence.requestedUrl, reason: evidence.error ?? 'no_response' }, {
        url: evidence.requestedUrl,
        reason: evidence.error,
        reasonDetail: evidence.errorDetail,
      });
    }
    if (!evidence.finalUrl.startsWith('https:')) return result('info', 'info', 'not_https', { url: evidence.finalUrl }, { url: evidence.finalUrl });
    if (evidence.page === null) return result('info', 'info', 'not_html', { url: evidence.finalUrl }, { url: evidence.finalUrl, contentType: evidence.contentType });

    const found: Record<MixedContentKind, ResourceReference[]> = { active: [], passive: [], form: [] };
    for (const reference of evidence.page.resources) {
      const kind = mixedContentKind(reference);
      if (kind) found[kind].push(reference);
    }
    const listed = (references: ResourceReference[]) =>
      references.slice(0, maxListed).map(({ tag, attribute, url, rel }) => ({ tag, attribute, url, rel }));
    const details = {
      url: evidence.finalUrl,
      counts: { active: found.active.length, passive: found.passive.length, form: found.form.length },
      active: listed(found.active),
      passive: listed(found.passive),
      forms: listed(found.form),
      resourcesTruncated: evidence.page.resourcesTruncated,
    };
    const first = (references: ResourceReference[]) => references[0]?.url ?? '';
    if (found.form.length > 0) return result('fail', 'high', 'form', { count: found.form.length, example: first(found.form) }, details);
    if (found.active.length > 0) return result('fail', 'medium', 'active', { count: found.active.length, example: first(found.active) }, details);
    if (found.passive.length > 0) return result('warn', 'low', 'passive', { count: found.passive.length, example: first(found.passive) }, details);
    return result('pass', 'info', 'pass', {}, details);
  },
};
