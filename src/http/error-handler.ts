// The API edge of the one error type: AppError (and the framework's own errors, mapped onto
// it) become RFC 9457 problem+json under /api and a translated page elsewhere. Anything
// unexpected is logged with its stack and shown as "internal" without details.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fieldProblemsFromIssues } from '../domain/parse-input.ts';
import { AppError, isAppError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { renderErrorPage } from '../web/error-page.ts';
import { SESSION_COOKIE } from './context.ts';

export const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith('/api/');

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    // A malformed id in the path names nothing that exists for anyone.
    if (error.validationContext === 'params') return new AppError('not_found', 'errors.not_found');
    const issues = error.validation.map((v) => ({
      ...(v.params as Record<string, unknown>),
      code: v.keyword,
      message: v.message ?? '',
      path: v.instancePath.split('/').filter(Boolean),
    }));
    return new AppError('validation', 'errors.validation', { fields: fieldProblemsFromIssues(issues as never) });
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status === 415) return new AppError('validation', 'errors.unsupported_media_type');
  if (status === 413) return new AppError('validation', 'errors.payload_too_large');
  if (status === 429) return new AppError('rate_limited', 'errors.rate_limited');
  if (status === 404) return new AppError('not_found', 'errors.not_found');
  if (status >= 400 && status < 500) return new AppError('validation', 'errors.bad_request');
  return new AppError('internal', 'errors.internal', { cause: error });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const lang = request.lang ?? 'nl';
  if (isApiRequest(request)) {
    return reply
      .status(error.status)
      .type('application/problem+json')
      .send({
        type: `urn:cybermonitor:problem:${error.code}`,
        title: t(lang, error.messageKey, error.params),
        status: error.status,
        code: error.code,
        instance: request.url.split('?')[0],
        ...(error.fields.length > 0
          ? { errors: error.fields.map((f) => ({ field: f.path, code: f.messageKey, message: t(lang, f.messageKey, f.params) })) }
          : {}),
      });
  }
  if (error.code === 'unauthenticated' && request.method === 'GET') {
    const next = encodeURIComponent(request.url);
    // Half signed in (password given, second factor not yet): continue there.
    if (request.session && !request.session.mfaPassed) return reply.redirect(`/login/totp?next=${next}`);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`/login?next=${next}`);
  }
  return reply.status(error.status).type('text/html; charset=utf-8').send(renderErrorPage(request, error));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, key: appError.messageKey }, 'request refused');
    return sendProblem(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new AppError('not_found', 'errors.not_found')));
}
