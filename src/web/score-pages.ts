// A company's score page ("what raises my score"), its standing toward the Cyberkeurmerk
// ("maand 3 van 6", what blocks and by when), its trend per month and what changed since last
// month, and its accepted risks. Also the small block on the company page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { findCheck } from '../checks/registry.ts';
import { acceptRisk, listAcceptedRisks, withdrawRisk } from '../db/repositories/accepted-risks.ts';
import { mayOnOrganisation, requireOrganisation } from '../db/repositories/organisations.ts';
import type { AppDependencies } from '../http/app.ts';
import { formFields } from '../http/csrf.ts';
import { t, type Language } from '../i18n/index.ts';
import { normServices } from '../norm/services.ts';
import { companyStanding, type MonthPoint, type Standing } from '../norm/standing.ts';
import { form } from './forms.ts';
import { escapeHtml, html, trustedHtml, type SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { csrf, formProblem, seeOther, signedInActor } from './respond.ts';

type Problem = ReturnType<typeof formProblem>;

const controlTitle = (standing: Standing, controlId: string, lang: Language) => standing.norm.controls.find((c) => c.id === controlId)?.title[lang] ?? controlId;
const formatDay = (lang: Language, day: string) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

/** The block on the company page: month N of 6 (or the certificate), what blocks and by when. */
export function standingBlock(lang: Language, standing: Standing, organisationId: string): SafeHtml {
  const certificate = standing.certificate;
  return html`<section class="standing" data-month-number="${standing.monthNumber}" data-score="${standing.score.score ?? ''}">
    <h2>${t(lang, 'norm.standing.title')}</h2>
    ${certificate
      ? html`<p class="certified">${t(lang, `certificates.state.${certificate.state}`)} · ${t(lang, 'norm.standing.valid_until', { date: formatDay(lang, certificate.validUntil) })}</p>`
      : html`<p class="progress">${t(lang, 'norm.standing.month_of', { month: standing.monthNumber, of: standing.streakMonths })}</p>`}
    <p>${standing.score.score === null ? t(lang, 'norm.score.none') : t(lang, 'norm.score.line', { score: standing.score.score, grade: standing.score.grade ?? '—' })}</p>
    ${standing.blocking.length === 0
      ? html`<p>${t(lang, 'norm.standing.nothing_blocks')}</p>`
      : html`<p>${t(lang, 'norm.standing.blocking')}</p><ul class="blocking">${standing.blocking.map(
          (b) => html`<li data-control="${b.controlId}"><strong>${b.controlId}</strong> ${controlTitle(standing, b.controlId, lang)} —
            ${b.withinGrace ? t(lang, 'norm.standing.fix_by', { date: formatDay(lang, b.fixBy) }) : t(lang, 'norm.standing.grace_over', { date: formatDay(lang, b.failingSince) })}</li>`,
        )}</ul>`}
    <p><a href="/organisations/${organisationId}/score">${t(lang, 'norm.standing.score_link')}</a> · <a href="/organisations/${organisationId}/certificates">${t(lang, 'norm.standing.certificate_link')}</a></p>
  </section>`;
}

function trendChart(points: MonthPoint[]): SafeHtml {
  if (points.length === 0) return html``;
  const width = 24;
  const bars = points
    .map((p, i) => {
      const height = p.score ?? 0;
      const colour = p.status === 'compliant' ? '#1a7f37' : p.status === 'non_compliant' ? '#b3261e' : '#5b6475';
      return `<rect x="${i * width + 2}" y="${100 - height}" width="${width - 4}" height="${height}" fill="${colour}"><title>${escapeHtml(p.month)}: ${p.score ?? '—'}</title></rect>`;
    })
    .join('');
  return trustedHtml(`<svg class="trend" viewBox="0 0 ${points.length * width} 100" width="${points.length * width}" height="100" role="img" aria-label="trend">${bars}</svg>`);
}

function raisers(lang: Language, standing: Standing): SafeHtml {
  const areaWeight = (id: string) => standing.norm.areas.find((a) => a.id === id)?.weight ?? 0;
  const candidates = standing.score.controls
    .filter((c) => c.measured && !c.accepted && (c.score ?? 100) < 100)
    .map((c) => ({ control: c, gain: areaWeight(c.area) * c.weight * (100 - (c.score ?? 0)) }))
    .sort((a, b) => b.gain - a.gain || a.control.controlId.localeCompare(b.control.controlId));
  const notMeasured = standing.score.areas.filter((a) => !a.measured);
  return html`<h2>${t(lang, 'norm.score.raise_title')}</h2>
    <p>${t(lang, 'norm.score.method')}</p>
    ${candidates.length === 0
      ? html`<p>${t(lang, 'norm.score.nothing_to_raise')}</p>`
      : html`<ol class="raisers">${candidates.map(({ control }) => {
          const definition = standing.norm.controls.find((d) => d.id === control.controlId);
          return html`<li data-control="${control.controlId}"><strong>${control.controlId}</strong> ${definition?.title[lang] ?? ''}
            (${t(lang, `norm.level.${control.level}`)}, ${Math.round(control.score ?? 0)}/100)
            ${(definition?.checks ?? []).map((id) => findCheck(id)).filter((c) => c !== undefined).map((c) => html`<details><summary>${t(lang, c.titleKey)}</summary><p>${t(lang, c.remediationKey)}</p></details>`)}</li>`;
        })}</ol>`}
    ${notMeasured.length > 0 ? html`<p>${t(lang, 'norm.score.not_measured_hint', { areas: notMeasured.map((a) => standing.norm.areas.find((n) => n.id === a.areaId)?.title[lang] ?? a.areaId).join(', ') })}</p>` : ''}`;
}

export const scorePages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;

    const render = async (request: FastifyRequest, reply: FastifyReply, organisationId: string, riskForm?: { values: Record<string, unknown>; problem: Problem }) => {
      const actor = signedInActor(request);
      const lang = request.lang;
      const organisation = await requireOrganisation(db, actor, organisationId, 'results.view');
      const { norms } = normServices(db, deps.config);
      const standing = await companyStanding(db, organisation.id, norms, new Date());
      const [risks, mayAccept] = await Promise.all([listAcceptedRisks(db, actor, organisation.id), mayOnOrganisation(db, actor, organisation.id, 'risk.accept')]);
      const token = csrf(request, reply, secure);
      const advisory = standing.norm.controls.filter((c) => c.level === 'advisory');
      const body = html`
        <p class="score" data-score="${standing.score.score ?? ''}" data-grade="${standing.score.grade ?? ''}">${standing.score.score === null ? t(lang, 'norm.score.none') : t(lang, 'norm.score.line', { score: standing.score.score, grade: standing.score.grade ?? '—' })}</p>
        <table class="areas"><thead><tr><th>${t(lang, 'norm.score.area')}</th><th>${t(lang, 'norm.score.pillar')}</th><th>${t(lang, 'norm.score.score')}</th></tr></thead><tbody>
        ${standing.score.areas.map((a) => html`<tr data-area="${a.areaId}" data-measured="${String(a.measured)}"><td>${standing.norm.areas.find((n) => n.id === a.areaId)?.title[lang] ?? a.areaId}</td>
          <td>${t(lang, `norm.pillar.${a.pillar}`)}</td><td>${a.measured ? String(a.score) : t(lang, 'norm.not_measured')}</td></tr>`)}</tbody></table>
        ${standingBlock(lang, standing, organisation.id)}
        ${raisers(lang, standing)}
        <h2>${t(lang, 'norm.trend.title')}</h2>
        ${standing.trend.length === 0
          ? html`<p>${t(lang, 'norm.trend.none')}</p>`
          : html`${trendChart(standing.trend)}<table class="trend"><thead><tr><th>${t(lang, 'norm.trend.month')}</th><th>${t(lang, 'norm.score.score')}</th><th>${t(lang, 'norm.trend.status')}</th></tr></thead><tbody>
            ${standing.trend.map((p) => html`<tr data-month="${p.month}"><td>${p.month}</td><td>${p.score ?? '—'} ${p.grade ?? ''}</td><td>${t(lang, `norm.month_status.${p.status}`)}</td></tr>`)}</tbody></table>`}
        <h2>${t(lang, 'norm.changes.title')}</h2>
        ${standing.previous
          ? html`<p>${t(lang, 'norm.changes.score', { from: standing.previous.score ?? '—', to: standing.score.score ?? '—' })}</p>
            ${standing.changes.length === 0 ? html`<p>${t(lang, 'norm.changes.none')}</p>` : html`<ul class="changes">${standing.changes.map((c) => html`<li data-control="${c.controlId}">${c.controlId} ${controlTitle(standing, c.controlId, lang)}: ${t(lang, `norm.control_state.${c.from}`)} → ${t(lang, `norm.control_state.${c.to}`)}</li>`)}</ul>`}`
          : html`<p>${t(lang, 'norm.changes.first_month')}</p>`}
        <h2>${t(lang, 'norm.risks.title')}</h2>
        <p>${t(lang, 'norm.risks.explain')}</p>
        ${risks.length === 0
          ? html`<p>${t(lang, 'norm.risks.none')}</p>`
          : html`<table class="risks"><thead><tr><th>${t(lang, 'norm.page.control')}</th><th>${t(lang, 'norm.risks.reason')}</th><th>${t(lang, 'norm.risks.expires_on')}</th><th>${t(lang, 'norm.risks.accepted_by')}</th><th></th></tr></thead><tbody>
            ${risks.map((r) => html`<tr data-control="${r.control_id}"><td>${r.control_id} ${controlTitle(standing, r.control_id, lang)}</td><td>${r.reason}</td><td>${r.expires_on}</td><td>${r.accepted_by_name ?? '—'}</td>
              <td>${mayAccept ? html`<form method="post" action="/organisations/${organisation.id}/accepted-risks/${r.id}/withdraw" class="inline"><input type="hidden" name="_csrf" value="${token}"><button type="submit" class="link">${t(lang, 'norm.risks.withdraw')}</button></form>` : ''}</td></tr>`)}</tbody></table>`}
        ${mayAccept && advisory.length > 0
          ? html`<h3>${t(lang, 'norm.risks.accept')}</h3>${form({
              lang,
              action: `/organisations/${organisation.id}/accepted-risks`,
              csrfToken: token,
              fields: [
                { name: 'controlId', labelKey: 'norm.risks.control', type: 'select', required: true, options: advisory.map((c) => ({ value: c.id, label: `${c.id} ${c.title[lang]}` })) },
                { name: 'reason', labelKey: 'norm.risks.reason', required: true },
                { name: 'expiresOn', labelKey: 'norm.risks.expires_on', type: 'date', required: true, hintKey: 'norm.risks.expires_hint' },
              ],
              values: riskForm?.values,
              submitKey: 'norm.risks.accept',
              ...riskForm?.problem,
            })}`
          : ''}`;
      return reply
        .status(riskForm?.problem.status ?? 200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(request, { title: `${organisation.name} · ${t(lang, 'norm.score.title')}`, body }));
    };

    app.get('/organisations/:organisationId/score', async (request, reply) => render(request, reply, (request.params as { organisationId: string }).organisationId));

    app.post('/organisations/:organisationId/accepted-risks', async (request, reply) => {
      const actor = signedInActor(request);
      const { organisationId } = request.params as { organisationId: string };
      const fields = formFields(request.body);
      const { norms, today } = normServices(db, deps.config);
      try {
        await acceptRisk(db, actor, organisationId, { controlId: String(fields.controlId ?? ''), reason: String(fields.reason ?? ''), expiresOn: String(fields.expiresOn ?? '') }, norms.forMonth(today().slice(0, 7)), today());
      } catch (error) {
        return render(request, reply, organisationId, { values: fields, problem: formProblem(error) });
      }
      return seeOther(reply, `/organisations/${organisationId}/score`);
    });

    app.post('/organisations/:organisationId/accepted-risks/:riskId/withdraw', async (request, reply) => {
      const { organisationId, riskId } = request.params as { organisationId: string; riskId: string };
      await withdrawRisk(db, signedInActor(request), organisationId, riskId);
      return seeOther(reply, `/organisations/${organisationId}/score`);
    });
  };
