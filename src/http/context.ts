// What every request carries once the session hook ran: its language, its session (if any)
// and, after the second factor, the actor that src/authz decides for.
import type { Actor } from '../authz/actor.ts';
import type { Language } from '../i18n/index.ts';

export interface RequestSession {
  token: string;
  userId: string;
  csrfToken: string;
  mfaPassed: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    session: RequestSession | null;
    /** Set only for a fully signed-in user (password and, where required, TOTP). */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Pages and endpoints that anyone may open; everything else needs a signed-in actor. */
    public?: boolean;
    /** Reachable between password and second factor (TOTP pages, logout). */
    halfSignedIn?: boolean;
  }
}

export const SESSION_COOKIE = 'cm_session';
export const LANGUAGE_COOKIE = 'cm_lang';
export const ANONYMOUS_CSRF_COOKIE = 'cm_csrf';
