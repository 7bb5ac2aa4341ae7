// Starting, upgrading and ending sessions on the HTTP side: every change of privilege gets
// a fresh session id (rotation), and the cookie is HTTP-only, SameSite=Lax, Secure behind TLS.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { createSession, destroySession, rotateSession, ABSOLUTE_LIFETIME_MS } from '../auth/sessions.ts';
import type { DB } from '../db/schema.ts';
import { SESSION_COOKIE } from './context.ts';

function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(ABSOLUTE_LIFETIME_MS / 1000),
  });
}

/** After the password: a new session (any earlier one on this browser is ended). */
export async function beginSession(
  db: Kysely<DB>,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { userId: string; mfaPassed: boolean; secure: boolean },
) {
  if (request.session) await destroySession(db, request.session.token);
  const session = await createSession(db, {
    userId: options.userId,
    mfaPassed: options.mfaPassed,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  });
  setSessionCookie(reply, session.token, options.secure);
  request.session = { token: session.token, userId: options.userId, csrfToken: session.csrfToken, mfaPassed: options.mfaPassed };
  return session;
}

/** After the second factor: the half session is replaced by a full one with a new id. */
export async function completeSession(db: Kysely<DB>, request: FastifyRequest, reply: FastifyReply, secure: boolean) {
  if (!request.session) throw new Error('completeSession needs a session');
  const session = await rotateSession(db, request.session.token, { mfaPassed: true });
  setSessionCookie(reply, session.token, secure);
  request.session = { token: session.token, userId: request.session.userId, csrfToken: session.csrfToken, mfaPassed: true };
  return session;
}

export async function endSession(db: Kysely<DB>, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.session) await destroySession(db, request.session.token);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  request.session = null;
  request.actor = null;
}
