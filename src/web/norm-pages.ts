// The whole norm, readable for a coordinator (and everyone with norm.view): per risk source and
// area, each control with why it matters, its threshold, grace period, weight and references.
import type { FastifyPluginAsync } from 'fastify';
import { assertCanOnPlatform } from '../authz/policy.ts';
import type { AppDependencies } from '../http/app.ts';
import { t, type Language } from '../i18n/index.ts';
import { normServices } from '../norm/services.ts';
import type { Norm, NormControl, Pillar } from '../norm/types.ts';
import { html, type SafeHtml } from './html.ts';
import { sendPage, signedInActor } from './respond.ts';

const pillars: Pillar[] = ['people', 'it', 'processes'];

function threshold(lang: Language, control: NormControl): string {
  return control.threshold.kind === 'every' ? t(lang, 'norm.threshold.every') : t(lang, 'norm.threshold.share', { percent: Math.round(control.threshold.min * 100) });
}

function references(control: NormControl): SafeHtml {
  return html`<ul class="references">${control.references.map((r) => {
    const label = [r.id, r.title].filter(Boolean).join(' ');
    return html`<li>${r.scheme === 'other' ? '' : html`<span class="scheme">${schemeLabel(r.scheme)}</span> `}${r.url ? html`<a href="${r.url}" rel="noopener noreferrer">${label}</a>` : label}</li>`;
  })}</ul>`;
}

const schemeLabel = (scheme: string): string => ({ 'cyber-essentials': 'Cyber Essentials', 'cis-v8': 'CIS Controls v8', ncsc: 'NCSC' })[scheme] ?? scheme;

export function renderNorm(lang: Language, norm: Norm, versions: readonly Norm[]): SafeHtml {
  const sourceOf = (id: string) => norm.sources.find((s) => s.id === id);
  return html`<p>${norm.title[lang]} · ${t(lang, 'norm.page.version', { version: norm.version, from: norm.effectiveFrom })}</p>
    <p>${t(lang, 'norm.page.intro', { months: norm.certificate.streakMonths, coverage: Math.round(norm.compliance.coverageShare * 100) })}</p>
    ${versions.length > 1 ? html`<p>${t(lang, 'norm.page.versions')} ${versions.map((v) => html`<a href="/norm?version=${v.version}">${v.version}</a> `)}</p>` : ''}
    ${pillars.map((pillar) => {
      const areas = norm.areas.filter((a) => a.pillar === pillar);
      if (areas.length === 0) return '';
      return html`<section class="pillar" data-pillar="${pillar}"><h2>${t(lang, `norm.pillar.${pillar}`)}</h2>
        ${areas.map(
          (area) => html`<h3 id="area-${area.id}">${area.title[lang]} <small>(${t(lang, 'norm.page.area_weight', { weight: area.weight })})</small></h3>
          <table class="norm"><thead><tr><th>${t(lang, 'norm.page.control')}</th><th>${t(lang, 'norm.page.level')}</th><th>${t(lang, 'norm.page.rule')}</th><th>${t(lang, 'norm.page.source')}</th></tr></thead><tbody>
          ${norm.controls
            .filter((c) => c.area === area.id)
            .map((c) => {
              const source = sourceOf(c.source);
              const planned = !source?.live || c.checks.length === 0;
              return html`<tr data-control="${c.id}" data-level="${c.level}"><td><strong>${c.id}</strong> ${c.title[lang]}
                <details><summary>${t(lang, 'norm.page.why')}</summary><p>${c.why[lang]}</p>${references(c)}</details></td>
                <td>${t(lang, `norm.level.${c.level}`)}</td>
                <td>${threshold(lang, c)}<br><small>${t(lang, 'norm.page.grace', { days: c.graceDays })} · ${t(lang, 'norm.page.weight', { weight: c.weight })}</small></td>
                <td>${source ? source.title[lang] : c.source}${planned ? html`<br><small class="planned">${t(lang, 'norm.page.not_measured_yet')}</small>` : ''}
                  <br><small><code>${[...c.checks, ...c.plannedChecks].join(', ')}</code></small></td></tr>`;
            })}</tbody></table>`,
        )}</section>`;
    })}`;
}

export const normPages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    app.get('/norm', async (request, reply) => {
      assertCanOnPlatform(signedInActor(request), 'norm.view');
      const { norms, today } = normServices(db, deps.config);
      const asked = (request.query as Record<string, unknown>).version;
      const norm = (typeof asked === 'string' ? norms.byVersion(asked) : undefined) ?? norms.forMonth(today().slice(0, 7));
      return sendPage(request, reply, 'norm.page.title', renderNorm(request.lang, norm, norms.versions));
    });
  };
