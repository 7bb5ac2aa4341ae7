// The companies: list, add, and one company's page with its domains and the latest results
// (first seen / last seen), where permitted. Who may see what is decided in src/authz only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../authz/actor.ts';
import { canOnPlatform } from '../authz/policy.ts';
import { findCheck } from '../checks/registry.ts';
import type { Severity } from '../checks/types.ts';
import { scoreResults } from '../scan/score.ts';
import { addDomain, listAssets, requireAsset, verifyDomainOwnership } from '../db/repositories/assets.ts';
import { createOrganisation, listContacts, listOrganisations, mayOnOrganisation, requireOrganisation } from '../db/repositories/organisations.ts';
import { listPartners, listProgrammes } from '../db/repositories/programmes.ts';
import { listCurrentResults, listRecentScans } from '../db/repositories/results.ts';
import { organisationInput, parseInput } from '../domain/inputs.ts';
import type { AppDependencies } from '../http/app.ts';
import { formFields } from '../http/csrf.ts';
import { t, type Language } from '../i18n/index.ts';
import { form, type Field } from './forms.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { normServices } from '../norm/services.ts';
import { companyStanding } from '../norm/standing.ts';
import { standingBlock } from './score-pages.ts';
import { csrf, formProblem, seeOther, sendPage, signedInActor } from './respond.ts';

const dateTime = (lang: Language, value: Date | string | null): string =>
  value === null
    ? '—'
    : new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(
        new Date(value),
      );

type Problem = ReturnType<typeof formProblem>;

export const organisationPages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;

    app.get('/', { config: { public: true } }, async (request, reply) => seeOther(reply, request.actor ? '/organisations' : '/login'));

    app.get('/organisations', async (request, reply) => {
      const actor = signedInActor(request);
      const lang = request.lang;
      const organisations = await listOrganisations(db, actor);
      const noProgramme = canOnPlatform(actor, 'programme.manage') && (await listProgrammes(db, actor)).length === 0;
      const body = html`
        ${noProgramme ? html`<p class="notice">${t(lang, 'ui.organisations.start_with_programme')} <a href="/programmes">${t(lang, 'ui.nav.programmes')}</a></p>` : ''}
        ${canOnPlatform(actor, 'organisation.create') && !noProgramme ? html`<p><a href="/organisations/new">${t(lang, 'ui.organisations.add')}</a></p>` : ''}
        ${organisations.length === 0
          ? html`<p>${t(lang, 'ui.organisations.empty')}</p>`
          : html`<table><thead><tr><th>${t(lang, 'ui.field.name')}</th><th>${t(lang, 'ui.field.kvkNumber')}</th><th>${t(lang, 'ui.field.city')}</th><th>${t(lang, 'ui.field.status')}</th><th>${t(lang, 'ui.field.itPartnerId')}</th></tr></thead>
            <tbody>${organisations.map(
              (o) => html`<tr><td><a href="/organisations/${o.id}">${o.name}</a></td><td>${o.kvk_number}</td><td>${o.city ?? ''}</td>
                <td>${t(lang, `ui.status.${o.status}`)}</td><td>${o.partner_name ?? ''}</td></tr>`,
            )}</tbody></table>`}`;
      return sendPage(request, reply, 'ui.organisations.title', body);
    });

    const organisationFields = async (actor: Actor, lang: Language): Promise<Field[]> => {
      const programmes = await listProgrammes(db, actor);
      const partners = await listPartners(db, actor);
      const fields: Field[] = [];
      if (programmes.length > 1) {
        fields.push({ name: 'programmeId', labelKey: 'ui.field.programmeId', type: 'select', options: programmes.map((p) => ({ value: p.id, label: p.name })) });
      }
      fields.push(
        { name: 'name', labelKey: 'ui.field.name', required: true },
        { name: 'kvkNumber', labelKey: 'ui.field.kvkNumber', required: true, inputmode: 'numeric', hintKey: 'ui.hint.kvk' },
        { name: 'sector', labelKey: 'ui.field.sector' },
        {
          name: 'sizeClass',
          labelKey: 'ui.field.sizeClass',
          type: 'select',
          options: [{ value: '', label: '—' }, ...['1-9', '10-49', '50-249', '250+'].map((v) => ({ value: v, label: v }))],
        },
        { name: 'street', labelKey: 'ui.field.street', autocomplete: 'street-address' },
        { name: 'postalCode', labelKey: 'ui.field.postalCode', autocomplete: 'postal-code' },
        { name: 'city', labelKey: 'ui.field.city' },
      );
      if (partners.length > 0) {
        fields.push({
          name: 'itPartnerId',
          labelKey: 'ui.field.itPartnerId',
          type: 'select',
          options: [...(partners.length > 1 || !actor.grants.every((g) => g.role === 'it_partner') ? [{ value: '', label: t(lang, 'ui.none') }] : []), ...partners.map((p) => ({ value: p.id, label: p.name }))],
        });
      }
      return fields;
    };
    const renderNew = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, problem?: Problem) => {
      const actor = signedInActor(request);
      return sendPage(
        request,
        reply,
        'ui.organisations.new_title',
        form({ lang: request.lang, action: '/organisations/new', csrfToken: csrf(request, reply, secure), fields: await organisationFields(actor, request.lang), values, submitKey: 'ui.save', ...problem }),
        problem?.status,
      );
    };
    app.get('/organisations/new', async (request, reply) => renderNew(request, reply, {}));
    app.post('/organisations/new', async (request, reply) => {
      const actor = signedInActor(request);
      const fields = formFields(request.body);
      try {
        const organisation = await createOrganisation(db, actor, parseInput(organisationInput, fields));
        return seeOther(reply, `/organisations/${organisation.id}`);
      } catch (error) {
        return renderNew(request, reply, fields, formProblem(error));
      }
    });

    const resultsTable = async (actor: Actor, lang: Language, organisationId: string): Promise<SafeHtml> => {
      const results = await listCurrentResults(db, actor, organisationId);
      if (results.length === 0) return html`<p>${t(lang, 'ui.results.none')}</p>`;
      const { score, grade } = scoreResults(
        results.map((r) => ({
          checkId: r.check_id,
          checkVersion: r.check_version,
          status: r.status,
          severity: r.severity as Severity,
          summaryKey: r.summary_key,
          summaryParams: {},
          details: {},
        })),
      );
      return html`<p class="score" data-score="${score ?? ''}" data-grade="${grade ?? ''}">${t(lang, 'ui.results.score', { score: score ?? '—', grade: grade ?? '—' })}</p>
      <table class="results"><thead><tr><th>${t(lang, 'ui.results.domain')}</th><th>${t(lang, 'ui.results.check')}</th><th>${t(lang, 'ui.results.status')}</th>
        <th>${t(lang, 'ui.results.summary')}</th><th>${t(lang, 'ui.results.first_seen')}</th><th>${t(lang, 'ui.results.last_seen')}</th></tr></thead><tbody>
        ${results.map((r) => {
          const check = findCheck(r.check_id);
          const params = (r.summary_params ?? {}) as Record<string, string | number>;
          return html`<tr data-check="${r.check_id}" data-status="${r.status}"><td>${r.asset}</td><td>${check ? t(lang, check.titleKey) : r.check_id}</td>
            <td class="status status-${r.status}">${t(lang, `ui.result_status.${r.status}`)}</td>
            <td>${t(lang, r.summary_key, params)}${r.resolved_at ? html`<br><small>${t(lang, 'ui.results.resolved_at', { at: dateTime(lang, r.resolved_at) })}</small>` : ''}
            ${check && r.status !== 'pass' ? html`<details><summary>${t(lang, 'ui.results.how_to_fix')}</summary><p>${t(lang, check.remediationKey)}</p></details>` : ''}</td>
            <td>${dateTime(lang, r.first_seen_at)}</td><td>${dateTime(lang, r.last_seen_at)}</td></tr>`;
        })}</tbody></table>`;
    };

    const renderOrganisation = async (
      request: FastifyRequest,
      reply: FastifyReply,
      organisationId: string,
      domainForm?: { values: Record<string, unknown>; problem: Problem },
      verificationProblem?: Problem,
    ) => {
      const actor = signedInActor(request);
      const lang = request.lang;
      const organisation = await requireOrganisation(db, actor, organisationId);
      const [assets, contacts, mayManage, mayScan, mayResults] = await Promise.all([
        listAssets(db, actor, organisation.id),
        listContacts(db, actor, organisation.id),
        mayOnOrganisation(db, actor, organisation.id, 'asset.manage'),
        mayOnOrganisation(db, actor, organisation.id, 'scan.request'),
        mayOnOrganisation(db, actor, organisation.id, 'results.view'),
      ]);
      const token = csrf(request, reply, secure);
      const notice = (request.query as Record<string, unknown>).notice;
      const domains = assets.filter((a) => a.kind === 'domain');
      const scans = mayResults ? await listRecentScans(db, actor, organisation.id, 5) : [];
      const standing = mayResults ? await companyStanding(db, organisation.id, normServices(db, deps.config).norms, new Date()) : null;
      const body = html`
        ${notice === 'scan_queued' ? html`<p class="notice">${t(lang, 'ui.organisation.scan_queued')}</p>` : ''}
        ${notice === 'verified' ? html`<p class="notice">${t(lang, 'ui.organisation.verified')}</p>` : ''}
        ${verificationProblem ? html`<p class="error" role="alert">${t(lang, verificationProblem.errorKey, verificationProblem.errorParams)}</p>` : ''}
        <dl>
          <dt>${t(lang, 'ui.field.kvkNumber')}</dt><dd>${organisation.kvk_number}</dd>
          <dt>${t(lang, 'ui.field.status')}</dt><dd>${t(lang, `ui.status.${organisation.status}`)}</dd>
          <dt>${t(lang, 'ui.field.city')}</dt><dd>${[organisation.street, organisation.postal_code, organisation.city].filter(Boolean).join(', ') || '—'}</dd>
        </dl>
        ${standing ? standingBlock(lang, standing, organisation.id) : ''}
        ${contacts.length > 0 ? html`<h2>${t(lang, 'ui.organisation.contacts')}</h2><ul>${contacts.map((c) => html`<li>${t(lang, `ui.contact_role.${c.role}`)}: ${c.name} &lt;${c.email}&gt;</li>`)}</ul>` : ''}
        <h2>${t(lang, 'ui.organisation.domains')}</h2>
        ${domains.length === 0
          ? html`<p>${t(lang, 'ui.organisation.no_domains')}</p>`
          : html`<table><thead><tr><th>${t(lang, 'ui.field.domain')}</th><th>${t(lang, 'ui.organisation.verification')}</th><th></th></tr></thead><tbody>
            ${domains.map(
              (d) => html`<tr><td>${d.value}</td><td>${t(lang, `ui.verification.${d.verification_state}`)}
                ${d.verification_state === 'unverified' && mayManage
                  ? html`<br><small>${t(lang, 'ui.organisation.verify_hint')} <code>${d.verification_token}</code></small>
                    <form method="post" action="/organisations/${organisation.id}/domains/${d.id}/verify" class="inline"><input type="hidden" name="_csrf" value="${token}"><button type="submit" class="link">${t(lang, 'ui.organisation.verify_now')}</button></form>`
                  : ''}</td>
                <td>${mayScan
                  ? html`<form method="post" action="/organisations/${organisation.id}/domains/${d.id}/scan" class="inline"><input type="hidden" name="_csrf" value="${token}"><button type="submit">${t(lang, 'ui.organisation.scan_now')}</button></form>`
                  : ''}</td></tr>`,
            )}</tbody></table>`}
        ${mayManage
          ? html`<h3>${t(lang, 'ui.organisation.add_domain')}</h3>${form({
              lang,
              action: `/organisations/${organisation.id}/domains`,
              csrfToken: token,
              fields: [{ name: 'domain', labelKey: 'ui.field.domain', required: true, hintKey: 'ui.hint.domain' }],
              values: domainForm?.values,
              submitKey: 'ui.organisation.add_domain',
              ...domainForm?.problem,
            })}`
          : ''}
        ${mayResults
          ? html`<h2>${t(lang, 'ui.organisation.results')}</h2>${await resultsTable(actor, lang, organisation.id)}
            ${scans.length > 0 ? html`<h3>${t(lang, 'ui.organisation.recent_scans')}</h3><ul>${scans.map((s) => html`<li>${s.asset}: ${t(lang, `ui.scan_status.${s.status}`)} · ${dateTime(lang, s.started_at)}</li>`)}</ul>` : ''}`
          : ''}`;
      return reply
        .status(domainForm?.problem.status ?? verificationProblem?.status ?? 200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(request, { title: organisation.name, body }));
    };

    app.get('/organisations/:organisationId', async (request, reply) =>
      renderOrganisation(request, reply, (request.params as { organisationId: string }).organisationId),
    );

    app.post('/organisations/:organisationId/domains', async (request, reply) => {
      const actor = signedInActor(request);
      const { organisationId } = request.params as { organisationId: string };
      const fields = formFields(request.body);
      try {
        await addDomain(db, actor, organisationId, String(fields.domain ?? ''), { allowPrivate: deps.config.allowPrivateTargets });
        return seeOther(reply, `/organisations/${organisationId}`);
      } catch (error) {
        return renderOrganisation(request, reply, organisationId, { values: fields, problem: formProblem(error) });
      }
    });

    app.post('/organisations/:organisationId/domains/:assetId/verify', async (request, reply) => {
      const actor = signedInActor(request);
      const { organisationId, assetId } = request.params as { organisationId: string; assetId: string };
      try {
        await verifyDomainOwnership(db, actor, organisationId, assetId, deps.proveOwnership);
      } catch (error) {
        return renderOrganisation(request, reply, organisationId, undefined, formProblem(error));
      }
      return seeOther(reply, `/organisations/${organisationId}?notice=verified`);
    });

    app.post('/organisations/:organisationId/domains/:assetId/scan', async (request, reply) => {
      const actor = signedInActor(request);
      const { organisationId, assetId } = request.params as { organisationId: string; assetId: string };
      const asset = await requireAsset(db, actor, organisationId, assetId, 'scan.request');
      await deps.requestScan({ organisationId: asset.organisation_id, assetId: asset.id, requestedBy: actor.userId });
      return seeOther(reply, `/organisations/${organisationId}?notice=scan_queued`);
    });
  };
