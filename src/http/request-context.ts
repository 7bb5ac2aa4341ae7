// Fills request.lang, request.session and request.actor, then enforces "signed in unless the
// route is public" and CSRF. Every route passes through here: deny by default.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { loadSession, destroySession } from '../auth/sessions.ts';
import { loadActor } from '../authz/actor.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { defaultLanguage, isLanguage, type Language } from '../i18n/index.ts';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './context.ts';
import { assertCsrf } from './csrf.ts';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

function chooseLanguage(request: FastifyRequest, reply: FastifyReply, secure: boolean): Language {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(asked)) {
    reply.setCookie(LANGUAGE_COOKIE, asked, { path: '/', sameSite: 'lax', secure, maxAge: ONE_YEAR_SECONDS });
    return asked;
  }
  const remembered = request.cookies[LANGUAGE_COOKIE];
  if (isLanguage(remembered)) return remembered;
  const accepted = request.headers['accept-language'];
  if (typeof accepted === 'string' && /^en\b/i.test(accepted.trim())) return 'en';
  return defaultLanguage;
}

export function installRequestContext(app: FastifyInstance, db: Kysely<DB>, secureCookies: boolean): void {
  app.decorateRequest('lang', defaultLanguage);
  app.decorateRequest('session', null);
  app.decorateRequest('actor', null);

  app.addHook('preHandler', async (request, reply) => {
    request.lang = chooseLanguage(request, reply, secureCookies);
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await loadSession(db, token);
      if (session) {
        request.session = { token, userId: session.userId, csrfToken: session.csrfToken, mfaPassed: session.mfaPassed };
        if (session.mfaPassed) {
          request.actor = await loadActor(db, session.userId);
          if (!request.actor) {
            // The user was disabled while signed in: the session ends now.
            await destroySession(db, token);
            request.session = null;
          }
        }
        if (!request.cookies[LANGUAGE_COOKIE] && request.actor && !isLanguage((request.query as Record<string, unknown>)?.lang)) {
          request.lang = request.actor.language;
        }
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const config = request.routeOptions.config;
    if (!config.public) {
      const halfAllowed = config.halfSignedIn && request.session;
      if (!request.actor && !halfAllowed) throw new AppError('unauthenticated', 'errors.unauthenticated');
    }
    assertCsrf(request);
  });
}
