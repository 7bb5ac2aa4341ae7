import type { FastifyRequest } from 'fastify';
import type { AppError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

export function renderErrorPage(request: FastifyRequest, error: AppError): string {
  const lang = request.lang ?? 'nl';
  const body = html`<p class="error" role="alert">${t(lang, error.messageKey, error.params)}</p>
    <p><a href="/">${t(lang, 'ui.back_home')}</a></p>`;
  return page(request, { title: t(lang, `ui.error_title.${error.code}`), body });
}
