// Signing in through the API: password, then TOTP where the account has it; the session
// cookie and its CSRF token are what later calls send.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { passwordLogin, secondFactorLogin } from '../../auth/login.ts';
import { AppError } from '../../errors.ts';
import type { AppDependencies } from '../../http/app.ts';
import { beginSession, completeSession, endSession } from '../../http/session-cookie.ts';
import { loginRateLimit } from '../../http/rate-limits.ts';

const credentials = z.strictObject({
  email: z.string().trim().toLowerCase().min(1, { message: 'validation.required' }).max(254, { message: 'validation.too_long' }),
  password: z.string().min(1, { message: 'validation.required' }).max(1024, { message: 'validation.too_long' }),
});
const totpCode = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, { message: 'validation.totp_code' }) });

export const authRoutes =
  (deps: AppDependencies): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const secure = deps.config.secureCookies;

    app.post(
      '/auth/login',
      { config: { public: true, rateLimit: loginRateLimit }, schema: { tags: ['auth'], body: credentials, security: [] } },
      async (request, reply) => {
        const outcome = await passwordLogin(db, { ...request.body, ip: request.ip });
        const session = await beginSession(db, request, reply, { userId: outcome.userId, mfaPassed: outcome.next === 'done', secure });
        return { next: outcome.next, csrfToken: session.csrfToken };
      },
    );

    app.post(
      '/auth/totp',
      { config: { halfSignedIn: true, rateLimit: loginRateLimit }, schema: { tags: ['auth'], body: totpCode } },
      async (request, reply) => {
        const session = request.session;
        if (!session) throw new AppError('unauthenticated', 'errors.unauthenticated');
        if (session.mfaPassed) return { next: 'done', csrfToken: session.csrfToken };
        await secondFactorLogin(db, { userId: session.userId, code: request.body.code, ip: request.ip });
        const upgraded = await completeSession(db, request, reply, secure);
        return { next: 'done', csrfToken: upgraded.csrfToken };
      },
    );

    app.post('/auth/logout', { config: { halfSignedIn: true }, schema: { tags: ['auth'] } }, async (request, reply) => {
      await endSession(db, request, reply);
      return reply.status(204).send();
    });

    app.get('/auth/me', { schema: { tags: ['auth'] } }, async (request) => {
      const actor = request.actor;
      if (!actor || !request.session) throw new AppError('unauthenticated', 'errors.unauthenticated');
      return {
        id: actor.userId,
        email: actor.email,
        name: actor.name,
        language: actor.language,
        csrfToken: request.session.csrfToken,
        memberships: actor.grants,
      };
    });

  };
