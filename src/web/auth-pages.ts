// Sign-in pages: first setup, password, second factor (and its enrolment), invitation,
// forgotten password. Every form keeps what was typed (except passwords) when it is refused.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { acceptInvitation } from '../auth/invitations.ts';
import { requestPasswordReset, resetPassword } from '../auth/password-reset.ts';
import { passwordLogin, secondFactorLogin } from '../auth/login.ts';
import { completeSetup, needsSetup } from '../auth/setup.ts';
import { peekToken } from '../auth/tokens.ts';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../auth/totp-enrolment.ts';
import { AppError } from '../errors.ts';
import type { AppDependencies } from '../http/app.ts';
import { formFields } from '../http/csrf.ts';
import { loginRateLimit, tokenRateLimit } from '../http/rate-limits.ts';
import { beginSession, completeSession, endSession } from '../http/session-cookie.ts';
import { t } from '../i18n/index.ts';
import { form, languageOptions, type Field } from './forms.ts';
import { html, trustedHtml } from './html.ts';
import { csrf, formProblem, safeNext, seeOther, sendPage } from './respond.ts';

const tokenFrom = (request: FastifyRequest): string => {
  const query = request.query as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const token = body.token ?? query.token;
  return typeof token === 'string' ? token : '';
};

const loginFields: Field[] = [
  { name: 'email', labelKey: 'ui.field.email', type: 'email', required: true, autocomplete: 'username' },
  { name: 'password', labelKey: 'ui.field.password', type: 'password', required: true, autocomplete: 'current-password' },
  { name: 'next', labelKey: '', type: 'hidden' },
];
const totpFields: Field[] = [
  { name: 'code', labelKey: 'ui.field.totp_code', required: true, autocomplete: 'one-time-code', inputmode: 'numeric' },
];
const newPasswordFields: Field[] = [
  { name: 'token', labelKey: '', type: 'hidden' },
  { name: 'password', labelKey: 'ui.field.new_password', type: 'password', required: true, autocomplete: 'new-password', hintKey: 'ui.hint.password' },
];

export const authPages =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;
    const publicPage = { config: { public: true } };
    const limited = (rateLimit: { max: number; timeWindow: string }) => ({ config: { public: true, rateLimit } });

    // First setup: the link printed by `npm start` creates the platform admin.
    const setupFields: Field[] = [
      { name: 'token', labelKey: '', type: 'hidden' },
      { name: 'name', labelKey: 'ui.field.name', required: true, autocomplete: 'name' },
      { name: 'email', labelKey: 'ui.field.email', type: 'email', required: true, autocomplete: 'username' },
      { name: 'password', labelKey: 'ui.field.new_password', type: 'password', required: true, autocomplete: 'new-password', hintKey: 'ui.hint.password' },
      { name: 'language', labelKey: 'ui.field.language', type: 'select', options: languageOptions },
    ];
    const renderSetup = (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, problem?: ReturnType<typeof formProblem>) =>
      sendPage(
        request,
        reply,
        'ui.setup.title',
        html`<p>${t(request.lang, 'ui.setup.intro')}</p>
        ${form({ lang: request.lang, action: '/setup', csrfToken: csrf(request, reply, secure), fields: setupFields, values, submitKey: 'ui.setup.submit', ...problem })}`,
        problem?.status,
      );
    app.get('/setup', limited(tokenRateLimit), async (request, reply) => {
      const token = tokenFrom(request);
      if (!(await needsSetup(db))) throw new AppError('invalid_token', 'auth.setup_done');
      if (!(await peekToken(db, token, 'setup'))) throw new AppError('invalid_token', 'auth.token_invalid');
      return renderSetup(request, reply, { token, language: request.lang });
    });
    app.post('/setup', limited(tokenRateLimit), async (request, reply) => {
      const { token, ...fields } = formFields(request.body);
      try {
        const userId = await completeSetup(db, String(token ?? ''), fields as never, { ip: request.ip });
        await beginSession(db, request, reply, { userId, mfaPassed: false, secure });
        return seeOther(reply, '/login/totp/enrol');
      } catch (error) {
        const problem = formProblem(error);
        if (problem.errorKey === 'auth.token_invalid' || problem.errorKey === 'auth.setup_done') throw error;
        return renderSetup(request, reply, { ...fields, token }, problem);
      }
    });

    const renderLogin = (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, problem?: ReturnType<typeof formProblem>) => {
      const query = request.query as Record<string, unknown>;
      const notice = typeof query.notice === 'string' && ['welcome', 'reset', 'logged_out'].includes(query.notice) ? query.notice : null;
      return sendPage(
        request,
        reply,
        'ui.login.title',
        html`${notice ? html`<p class="notice">${t(request.lang, `ui.login.notice.${notice}`)}</p>` : ''}
        ${form({ lang: request.lang, action: '/login', csrfToken: csrf(request, reply, secure), fields: loginFields, values, submitKey: 'ui.login.submit', ...problem })}
        <p><a href="/forgot-password">${t(request.lang, 'ui.login.forgot')}</a></p>`,
        problem?.status,
      );
    };
    app.get('/login', publicPage, async (request, reply) => {
      if (request.actor) return seeOther(reply, '/organisations');
      return renderLogin(request, reply, { next: (request.query as Record<string, unknown>).next });
    });
    app.post('/login', limited(loginRateLimit), async (request, reply) => {
      const fields = formFields(request.body);
      try {
        const outcome = await passwordLogin(db, { email: String(fields.email ?? ''), password: String(fields.password ?? ''), ip: request.ip });
        await beginSession(db, request, reply, { userId: outcome.userId, mfaPassed: outcome.next === 'done', secure });
        const next = safeNext(fields.next);
        if (outcome.next === 'totp') return seeOther(reply, `/login/totp?next=${encodeURIComponent(next)}`);
        if (outcome.next === 'enrol_totp') return seeOther(reply, '/login/totp/enrol');
        return seeOther(reply, next);
      } catch (error) {
        return renderLogin(request, reply, { email: fields.email, next: fields.next }, formProblem(error));
      }
    });

    const halfSignedIn = { config: { halfSignedIn: true, rateLimit: loginRateLimit } };
    const renderTotp = (request: FastifyRequest, reply: FastifyReply, problem?: ReturnType<typeof formProblem>) =>
      sendPage(
        request,
        reply,
        'ui.totp.title',
        html`<p>${t(request.lang, 'ui.totp.intro')}</p>
        ${form({ lang: request.lang, action: `/login/totp?next=${encodeURIComponent(safeNext((request.query as Record<string, unknown>).next))}`, csrfToken: csrf(request, reply, secure), fields: totpFields, submitKey: 'ui.totp.submit', ...problem })}`,
        problem?.status,
      );
    app.get('/login/totp', halfSignedIn, async (request, reply) => {
      if (request.session?.mfaPassed) return seeOther(reply, '/organisations');
      const user = await db.selectFrom('users').select('totp_enabled_at').where('id', '=', request.session!.userId).executeTakeFirst();
      if (!user?.totp_enabled_at) return seeOther(reply, '/login/totp/enrol');
      return renderTotp(request, reply);
    });
    app.post('/login/totp', halfSignedIn, async (request, reply) => {
      const session = request.session;
      if (!session) throw new AppError('unauthenticated', 'errors.unauthenticated');
      try {
        await secondFactorLogin(db, { userId: session.userId, code: String(formFields(request.body).code ?? ''), ip: request.ip });
      } catch (error) {
        return renderTotp(request, reply, formProblem(error));
      }
      await completeSession(db, request, reply, secure);
      return seeOther(reply, safeNext((request.query as Record<string, unknown>).next));
    });

    const renderEnrolment = async (request: FastifyRequest, reply: FastifyReply, problem?: ReturnType<typeof formProblem>) => {
      const session = request.session;
      if (!session) throw new AppError('unauthenticated', 'errors.unauthenticated');
      const enrolment = await beginTotpEnrolment(db, session.userId);
      return sendPage(
        request,
        reply,
        'ui.enrol.title',
        html`<p>${t(request.lang, 'ui.enrol.intro')}</p>
        <div class="qr">${trustedHtml(enrolment.qrSvg)}</div>
        <p>${t(request.lang, 'ui.enrol.secret')} <code data-totp-secret>${enrolment.secret}</code></p>
        ${form({ lang: request.lang, action: '/login/totp/enrol', csrfToken: csrf(request, reply, secure), fields: totpFields, submitKey: 'ui.enrol.submit', ...problem })}`,
        problem?.status,
      );
    };
    app.get('/login/totp/enrol', halfSignedIn, async (request, reply) => renderEnrolment(request, reply));
    app.post('/login/totp/enrol', halfSignedIn, async (request, reply) => {
      const session = request.session;
      if (!session) throw new AppError('unauthenticated', 'errors.unauthenticated');
      try {
        await confirmTotpEnrolment(db, session.userId, String(formFields(request.body).code ?? ''), { ip: request.ip });
      } catch (error) {
        const problem = formProblem(error);
        return renderEnrolment(request, reply, problem);
      }
      await completeSession(db, request, reply, secure);
      return seeOther(reply, '/organisations');
    });

    app.post('/logout', { config: { halfSignedIn: true } }, async (request, reply) => {
      await endSession(db, request, reply);
      return seeOther(reply, '/login?notice=logged_out');
    });

    // Invitations: the mailed link lets the new user choose a password.
    const invitationFields: Field[] = [
      { name: 'token', labelKey: '', type: 'hidden' },
      ...newPasswordFields.slice(1),
    ];
    const renderInvitation = (request: FastifyRequest, reply: FastifyReply, token: string, problem?: ReturnType<typeof formProblem>) =>
      sendPage(
        request,
        reply,
        'ui.invitation.title',
        html`<p>${t(request.lang, 'ui.invitation.intro')}</p>
        ${form({ lang: request.lang, action: '/invitation', csrfToken: csrf(request, reply, secure), fields: invitationFields, values: { token }, submitKey: 'ui.invitation.submit', ...problem })}`,
        problem?.status,
      );
    app.get('/invitation', limited(tokenRateLimit), async (request, reply) => {
      const token = tokenFrom(request);
      if (!(await peekToken(db, token, 'invitation'))) throw new AppError('invalid_token', 'auth.token_invalid');
      return renderInvitation(request, reply, token);
    });
    app.post('/invitation', limited(tokenRateLimit), async (request, reply) => {
      const { token, ...fields } = formFields(request.body);
      try {
        await acceptInvitation(db, String(token ?? ''), { password: String(fields.password ?? '') });
      } catch (error) {
        const problem = formProblem(error);
        if (problem.errorKey === 'auth.token_invalid') throw error;
        return renderInvitation(request, reply, String(token ?? ''), problem);
      }
      return seeOther(reply, '/login?notice=welcome');
    });

    // Forgotten password: the answer is the same whether or not the address is known.
    const forgotFields: Field[] = [{ name: 'email', labelKey: 'ui.field.email', type: 'email', required: true, autocomplete: 'username' }];
    app.get('/forgot-password', publicPage, async (request, reply) =>
      sendPage(
        request,
        reply,
        'ui.forgot.title',
        html`<p>${t(request.lang, 'ui.forgot.intro')}</p>
        ${form({ lang: request.lang, action: '/forgot-password', csrfToken: csrf(request, reply, secure), fields: forgotFields, submitKey: 'ui.forgot.submit' })}`,
      ),
    );
    app.post('/forgot-password', limited(loginRateLimit), async (request, reply) => {
      const email = String(formFields(request.body).email ?? '').trim().toLowerCase();
      await requestPasswordReset(db, email, { mailer: deps.mailer, publicUrl: deps.config.publicUrl, ip: request.ip });
      return sendPage(request, reply, 'ui.forgot.title', html`<p class="notice">${t(request.lang, 'ui.forgot.sent')}</p>`);
    });

    const renderReset = (request: FastifyRequest, reply: FastifyReply, token: string, problem?: ReturnType<typeof formProblem>) =>
      sendPage(
        request,
        reply,
        'ui.reset.title',
        form({ lang: request.lang, action: '/reset-password', csrfToken: csrf(request, reply, secure), fields: newPasswordFields, values: { token }, submitKey: 'ui.reset.submit', ...problem }),
        problem?.status,
      );
    app.get('/reset-password', limited(tokenRateLimit), async (request, reply) => {
      const token = tokenFrom(request);
      if (!(await peekToken(db, token, 'password_reset'))) throw new AppError('invalid_token', 'auth.token_invalid');
      return renderReset(request, reply, token);
    });
    app.post('/reset-password', limited(tokenRateLimit), async (request, reply) => {
      const { token, ...fields } = formFields(request.body);
      try {
        await resetPassword(db, String(token ?? ''), String(fields.password ?? ''));
      } catch (error) {
        const problem = formProblem(error);
        if (problem.errorKey === 'auth.token_invalid') throw error;
        return renderReset(request, reply, String(token ?? ''), problem);
      }
      await endSession(db, request, reply);
      return seeOther(reply, '/login?notice=reset');
    });
  };
