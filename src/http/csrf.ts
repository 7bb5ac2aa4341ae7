// CSRF protection for every state-changing request.
// - Signed in (even half): the session's token, sent as form field `_csrf` or `x-csrf-token`.
// - Anonymous forms (login, setup, reset): double-submit cookie `cm_csrf` equal to `_csrf`.
// - Anonymous JSON: a cross-site page cannot send `application/json` without a CORS preflight,
//   which this service never answers, so the content type itself is the protection.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { ANONYMOUS_CSRF_COOKIE } from './context.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (a: string | undefined, b: string | undefined): boolean => {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

function suppliedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : undefined;
}

export function assertCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const supplied = suppliedToken(request);
  if (request.session) {
    if (sameToken(supplied, request.session.csrfToken)) return;
  } else if (request.headers['content-type']?.startsWith('application/json')) {
    return;
  } else if (sameToken(supplied, request.cookies[ANONYMOUS_CSRF_COOKIE])) {
    return;
  }
  throw new AppError('csrf', 'errors.csrf');
}

/** The token a form on this page must send back; sets the double-submit cookie when needed. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.session) return request.session.csrfToken;
  const existing = request.cookies[ANONYMOUS_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(ANONYMOUS_CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure });
  return token;
}

/** Strips the CSRF field from a form body before it is validated as input. */
export function formFields(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const { _csrf: _ignored, ...fields } = body as Record<string, unknown>;
  return fields;
}
