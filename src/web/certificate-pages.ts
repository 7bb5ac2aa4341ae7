// The Cyberkeurmerk in the web app: a company's certificates (downloads, approval, revocation),
// the public verification page /verify/<id> and the public key document. Public pages show only
// what the company agreed to publish (consent public_certificate).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { keyDocument } from '../certificates/keys.ts';
import { liveStates } from '../certificates/lifecycle.ts';
import { approveCertificate, listCertificates, publicCertificate, requireCertificate, revokeCertificate } from '../db/repositories/certificates.ts';
import { mayOnOrganisation, requireOrganisation } from '../db/repositories/organisations.ts';
import type { AppDependencies } from '../http/app.ts';
import { formFields } from '../http/csrf.ts';
import { t } from '../i18n/index.ts';
import { normServices } from '../norm/services.ts';
import { form } from './forms.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { csrf, formProblem, seeOther, sendPage, signedInActor } from './respond.ts';

type Problem = ReturnType<typeof formProblem>;

export const certificatePages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;
    const services = () => normServices(db, deps.config);
    const areaTitle = (id: string, lang: 'nl' | 'en') => services().norms.latest().areas.find((a) => a.id === id)?.title[lang] ?? id;

    const renderList = async (request: FastifyRequest, reply: FastifyReply, organisationId: string, revokeProblem?: { id: string; values: Record<string, unknown>; problem: Problem }) => {
      const actor = signedInActor(request);
      const lang = request.lang;
      const organisation = await requireOrganisation(db, actor, organisationId, 'certificate.view');
      const [certificates, mayRevoke, mayApprove] = await Promise.all([
        listCertificates(db, actor, organisation.id),
        mayOnOrganisation(db, actor, organisation.id, 'certificate.revoke'),
        mayOnOrganisation(db, actor, organisation.id, 'certificate.approve'),
      ]);
      const token = csrf(request, reply, secure);
      const notice = (request.query as Record<string, unknown>).notice;
      const body = html`
        ${notice === 'approved' ? html`<p class="notice">${t(lang, 'certificates.page.approved')}</p>` : ''}
        ${notice === 'revoked' ? html`<p class="notice">${t(lang, 'certificates.page.revoked')}</p>` : ''}
        ${certificates.length === 0
          ? html`<p>${t(lang, 'certificates.page.none')}</p>`
          : certificates.map(
              (c) => html`<section class="certificate" data-certificate="${c.id}" data-state="${c.state}">
                <h2>${t(lang, `certificates.state.${c.state}`)}</h2>
                <dl><dt>${t(lang, 'certificates.page.number')}</dt><dd><code>${c.id}</code></dd>
                  <dt>${t(lang, 'certificates.page.valid_from')}</dt><dd>${c.valid_from}</dd>
                  <dt>${t(lang, 'certificates.page.valid_until')}</dt><dd>${c.valid_until}</dd>
                  <dt>${t(lang, 'certificates.page.level')}</dt><dd>${c.level} · ${c.norm_id} ${c.norm_version}</dd>
                  <dt>${t(lang, 'certificates.page.scope')}</dt><dd>${(c.measured_areas as string[]).map((a) => areaTitle(a, lang)).join(', ')}</dd></dl>
                <p>${t(lang, 'certificates.page.earned_in', { month: c.earned_in_month })}</p>
                ${c.revocation_reason ? html`<p>${t(lang, 'certificates.page.revoked_reason', { reason: c.revocation_reason })}</p>` : ''}
                ${c.issued_at
                  ? html`<p><a href="/api/v1/certificates/${c.id}/document.pdf">${t(lang, 'certificates.page.download_pdf')}</a> ·
                    <a href="/api/v1/certificates/${c.id}/statement.json">${t(lang, 'certificates.page.download_statement')}</a> ·
                    <a href="/verify/${c.id}">${t(lang, 'certificates.page.verify_link')}</a></p>`
                  : ''}
                ${mayApprove && c.state === 'pending_approval'
                  ? html`<form method="post" action="/certificates/${c.id}/approve"><input type="hidden" name="_csrf" value="${token}"><button type="submit">${t(lang, 'certificates.page.approve')}</button></form>`
                  : ''}
                ${mayRevoke && [...liveStates, 'renewed'].includes(c.state)
                  ? form({
                      lang,
                      action: `/certificates/${c.id}/revoke`,
                      csrfToken: token,
                      fields: [{ name: 'reason', labelKey: 'certificates.page.revoke_reason', required: true }],
                      values: revokeProblem?.id === c.id ? revokeProblem.values : undefined,
                      submitKey: 'certificates.page.revoke',
                      ...(revokeProblem?.id === c.id ? revokeProblem.problem : {}),
                    })
                  : ''}
              </section>`,
            )}`;
      return reply
        .status(revokeProblem?.problem.status ?? 200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(request, { title: `${organisation.name} · ${t(lang, 'certificates.page.list_title')}`, body }));
    };

    app.get('/organisations/:organisationId/certificates', async (request, reply) => renderList(request, reply, (request.params as { organisationId: string }).organisationId));

    app.post('/certificates/:certificateId/approve', async (request, reply) => {
      const actor = signedInActor(request);
      const { certificateId } = request.params as { certificateId: string };
      const certificate = await requireCertificate(db, actor, certificateId, 'certificate.approve');
      const { norms, issuer, today } = services();
      await approveCertificate(db, actor, certificate.id, { issuer, norms, today: today() });
      return seeOther(reply, `/organisations/${certificate.organisation_id}/certificates?notice=approved`);
    });

    app.post('/certificates/:certificateId/revoke', async (request, reply) => {
      const actor = signedInActor(request);
      const { certificateId } = request.params as { certificateId: string };
      const certificate = await requireCertificate(db, actor, certificateId, 'certificate.revoke');
      const fields = formFields(request.body);
      try {
        await revokeCertificate(db, actor, certificate.id, String(fields.reason ?? ''));
      } catch (error) {
        return renderList(request, reply, certificate.organisation_id, { id: certificate.id, values: fields, problem: formProblem(error) });
      }
      return seeOther(reply, `/organisations/${certificate.organisation_id}/certificates?notice=revoked`);
    });

    app.get('/verify/:certificateId', { config: { public: true } }, async (request, reply) => {
      const lang = request.lang;
      const found = await publicCertificate(db, (request.params as { certificateId: string }).certificateId, services().today());
      if (!found) return sendPage(request, reply, 'certificates.page.verify_title', html`<p class="error">${t(lang, 'errors.not_found')}</p>`, 404);
      const body = html`<p>${t(lang, 'certificates.page.verify_intro')}</p>
        <p class="${found.validNow ? 'valid' : 'invalid'}" data-valid="${String(found.validNow)}"><strong>${t(lang, found.validNow ? 'certificates.page.valid_now' : 'certificates.page.not_valid_now')}</strong></p>
        <dl class="verification">
          <dt>${t(lang, 'certificates.page.company')}</dt><dd>${found.company ? html`<span class="company">${found.company.name}</span>${found.company.city ? `, ${found.company.city}` : ''}` : t(lang, 'certificates.page.company_hidden')}</dd>
          <dt>${t(lang, 'certificates.page.status')}</dt><dd data-state="${found.state}">${t(lang, `certificates.state.${found.state}`)}</dd>
          <dt>${t(lang, 'certificates.page.programme')}</dt><dd>${found.programme}</dd>
          <dt>${t(lang, 'certificates.page.level')}</dt><dd>${found.level} · ${found.norm.id} ${found.norm.version}</dd>
          <dt>${t(lang, 'certificates.page.valid_from')}</dt><dd>${found.validFrom}</dd>
          <dt>${t(lang, 'certificates.page.valid_until')}</dt><dd>${found.validUntil}</dd>
          <dt>${t(lang, 'certificates.page.scope')}</dt><dd>${found.measuredAreas.map((a) => areaTitle(a, lang)).join(', ')}</dd>
          <dt>${t(lang, 'certificates.page.number')}</dt><dd><code>${found.id}</code></dd>
        </dl>
        <p><a href="/.well-known/cyberkeurmerk-keys.json">${t(lang, 'certificates.page.keys')}</a></p>`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(page(request, { title: t(lang, 'certificates.page.verify_title'), body }));
    });

    app.get('/.well-known/cyberkeurmerk-keys.json', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(await keyDocument(db)),
    );
  };
