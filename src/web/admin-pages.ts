// Setting up the programme: programmes and IT partners, and inviting people into their roles.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../authz/actor.ts';
import { assertCanOnPlatform, canOnPlatform } from '../authz/policy.ts';
import { inviteMember } from '../db/repositories/members.ts';
import { listOrganisations } from '../db/repositories/organisations.ts';
import { createPartner, createProgramme, listInsurers, listPartners, listProgrammes } from '../db/repositories/programmes.ts';
import { invitationInput, parseInput, partnerInput, programmeInput } from '../domain/inputs.ts';
import type { AppDependencies } from '../http/app.ts';
import { formFields } from '../http/csrf.ts';
import { t, type Language } from '../i18n/index.ts';
import { form, languageOptions, type Field } from './forms.ts';
import { html } from './html.ts';
import { csrf, formProblem, seeOther, sendPage, signedInActor } from './respond.ts';

type Problem = ReturnType<typeof formProblem>;
const roles = ['platform_admin', 'coordinator', 'it_partner', 'student', 'director', 'contact_it', 'contact_hr', 'contact_web', 'insurer'] as const;

export const adminPages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;

    const programmeFields: Field[] = [
      { name: 'name', labelKey: 'ui.field.name', required: true },
      { name: 'region', labelKey: 'ui.field.region', required: true },
      { name: 'goalCompanies', labelKey: 'ui.field.goalCompanies', type: 'number' },
      { name: 'goalCertificates', labelKey: 'ui.field.goalCertificates', type: 'number' },
      { name: 'goalMonths', labelKey: 'ui.field.goalMonths', type: 'number' },
      { name: 'startsOn', labelKey: 'ui.field.startsOn', type: 'date' },
    ];

    const renderProgrammes = async (
      request: FastifyRequest,
      reply: FastifyReply,
      forms: { programme?: { values: Record<string, unknown>; problem: Problem }; partner?: { values: Record<string, unknown>; problem: Problem } } = {},
    ) => {
      const actor = signedInActor(request);
      assertCanOnPlatform(actor, 'partner.manage');
      const lang = request.lang;
      const [programmes, partners] = await Promise.all([listProgrammes(db, actor), listPartners(db, actor)]);
      const token = csrf(request, reply, secure);
      const partnerFields: Field[] = [
        { name: 'programmeId', labelKey: 'ui.field.programmeId', type: 'select', required: true, options: programmes.map((p) => ({ value: p.id, label: p.name })) },
        { name: 'name', labelKey: 'ui.field.name', required: true },
        { name: 'kvkNumber', labelKey: 'ui.field.kvkNumber', inputmode: 'numeric' },
      ];
      const body = html`
        <table><thead><tr><th>${t(lang, 'ui.field.name')}</th><th>${t(lang, 'ui.field.region')}</th><th>${t(lang, 'ui.programmes.goals')}</th></tr></thead>
        <tbody>${programmes.map(
          (p) => html`<tr><td>${p.name}</td><td>${p.region}</td><td>${t(lang, 'ui.programmes.goal_text', {
            companies: p.goal_companies ?? '—',
            certificates: p.goal_certificates ?? '—',
            months: p.goal_months ?? '—',
          })}</td></tr>`,
        )}</tbody></table>
        <h2>${t(lang, 'ui.programmes.partners')}</h2>
        <ul>${partners.map((p) => html`<li>${p.name} (${programmes.find((x) => x.id === p.programme_id)?.name ?? ''})</li>`)}</ul>
        ${canOnPlatform(actor, 'programme.manage')
          ? html`<h2>${t(lang, 'ui.programmes.new_programme')}</h2>${form({ lang, action: '/programmes', csrfToken: token, fields: programmeFields, values: forms.programme?.values, submitKey: 'ui.save', ...forms.programme?.problem })}`
          : ''}
        ${programmes.length > 0
          ? html`<h2>${t(lang, 'ui.programmes.new_partner')}</h2>${form({ lang, action: '/partners', csrfToken: token, fields: partnerFields, values: forms.partner?.values, submitKey: 'ui.save', ...forms.partner?.problem })}`
          : ''}`;
      return sendPage(request, reply, 'ui.programmes.title', body, forms.programme?.problem.status ?? forms.partner?.problem.status);
    };

    app.get('/programmes', async (request, reply) => renderProgrammes(request, reply));
    app.post('/programmes', async (request, reply) => {
      const fields = formFields(request.body);
      try {
        await createProgramme(db, signedInActor(request), parseInput(programmeInput, fields));
        return seeOther(reply, '/programmes');
      } catch (error) {
        return renderProgrammes(request, reply, { programme: { values: fields, problem: formProblem(error) } });
      }
    });
    app.post('/partners', async (request, reply) => {
      const fields = formFields(request.body);
      try {
        await createPartner(db, signedInActor(request), parseInput(partnerInput, fields));
        return seeOther(reply, '/programmes');
      } catch (error) {
        return renderProgrammes(request, reply, { partner: { values: fields, problem: formProblem(error) } });
      }
    });

    const inviteFields = async (actor: Actor, lang: Language): Promise<Field[]> => {
      const [programmes, partners, organisations, insurers] = await Promise.all([
        listProgrammes(db, actor),
        listPartners(db, actor),
        listOrganisations(db, actor, 'members.invite'),
        canOnPlatform(actor, 'insurer.manage') ? listInsurers(db) : Promise.resolve([]),
      ]);
      const none = { value: '', label: t(lang, 'ui.none') };
      return [
        { name: 'name', labelKey: 'ui.field.name', required: true },
        { name: 'email', labelKey: 'ui.field.email', type: 'email', required: true },
        { name: 'language', labelKey: 'ui.field.language', type: 'select', options: languageOptions },
        { name: 'role', labelKey: 'ui.field.role', type: 'select', required: true, options: roles.map((r) => ({ value: r, label: t(lang, `ui.role.${r}`) })) },
        { name: 'programmeId', labelKey: 'ui.field.programmeId', type: 'select', hintKey: 'ui.hint.scope_programme', options: [none, ...programmes.map((p) => ({ value: p.id, label: p.name }))] },
        { name: 'partnerId', labelKey: 'ui.field.partnerId', type: 'select', hintKey: 'ui.hint.scope_partner', options: [none, ...partners.map((p) => ({ value: p.id, label: p.name }))] },
        { name: 'organisationId', labelKey: 'ui.field.organisationId', type: 'select', hintKey: 'ui.hint.scope_organisation', options: [none, ...organisations.map((o) => ({ value: o.id, label: o.name }))] },
        ...(insurers.length > 0
          ? [{ name: 'insurerId', labelKey: 'ui.field.insurerId', type: 'select' as const, options: [none, ...insurers.map((i) => ({ value: i.id, label: i.name }))] }]
          : []),
      ];
    };
    const renderInvite = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, problem?: Problem, sentTo?: string) => {
      const actor = signedInActor(request);
      const lang = request.lang;
      return sendPage(
        request,
        reply,
        'ui.invite.title',
        html`${sentTo ? html`<p class="notice">${t(lang, 'ui.invite.sent', { email: sentTo })}</p>` : ''}
        <p>${t(lang, 'ui.invite.intro')}</p>
        ${form({ lang, action: '/people/invite', csrfToken: csrf(request, reply, secure), fields: await inviteFields(actor, lang), values, submitKey: 'ui.invite.submit', ...problem })}`,
        problem?.status,
      );
    };
    app.get('/people/invite', async (request, reply) => renderInvite(request, reply, { language: request.lang }));
    app.post('/people/invite', async (request, reply) => {
      const fields = formFields(request.body);
      try {
        const input = parseInput(invitationInput, fields);
        await inviteMember(db, signedInActor(request), input, { mailer: deps.mailer, publicUrl: deps.config.publicUrl });
        return renderInvite(request, reply, { language: input.language }, undefined, input.email);
      } catch (error) {
        return renderInvite(request, reply, fields, formProblem(error));
      }
    });
  };
