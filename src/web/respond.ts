// Small helpers every page handler uses: send a page, redirect after a POST, read a form.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../authz/actor.ts';
import { AppError, isAppError, type FieldProblem } from '../errors.ts';
import { csrfTokenFor } from '../http/csrf.ts';
import { t } from '../i18n/index.ts';
import type { SafeHtml } from './html.ts';
import { page } from './layout.ts';

export function sendPage(request: FastifyRequest, reply: FastifyReply, titleKey: string, body: SafeHtml, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(request, { title: t(request.lang, titleKey), body }));
}

/** 303 so the browser follows with GET and a reload never posts twice. */
export const seeOther = (reply: FastifyReply, location: string) => reply.redirect(location, 303);

export const csrf = (request: FastifyRequest, reply: FastifyReply, secure: boolean): string => csrfTokenFor(request, reply, secure);

export function signedInActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'errors.unauthenticated');
  return request.actor;
}

/** Turns an input problem into what a form shows; anything else keeps propagating. */
export function formProblem(error: unknown): { errorKey: string; errorParams?: Record<string, string | number>; problems: FieldProblem[]; status: number } {
  if (isAppError(error) && ['validation', 'conflict', 'unauthenticated', 'locked', 'invalid_token', 'target_refused'].includes(error.code)) {
    return { errorKey: error.messageKey, errorParams: error.params, problems: error.fields, status: error.status };
  }
  throw error;
}

/** Only same-site paths may be a post-login destination (no open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) && !value.startsWith('/login') ? value : '/organisations';
}
