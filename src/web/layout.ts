// The frame of every page: language, navigation for the signed-in user, and the content.
import type { FastifyRequest } from 'fastify';
import { canOnPlatform } from '../authz/policy.ts';
import { t } from '../i18n/index.ts';
import { html, type SafeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Token for the logout form in the header. */
  csrfToken?: string;
}

function navigation(request: FastifyRequest, csrfToken: string | undefined): SafeHtml {
  const lang = request.lang;
  const actor = request.actor;
  if (!actor) return html``;
  const links = [html`<a href="/organisations">${t(lang, 'ui.nav.organisations')}</a>`];
  if (canOnPlatform(actor, 'partner.manage')) links.push(html`<a href="/programmes">${t(lang, 'ui.nav.programmes')}</a>`);
  links.push(html`<a href="/people/invite">${t(lang, 'ui.nav.invite')}</a>`);
  return html`<nav>${links}<span class="who">${actor.name}</span>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrfToken ?? request.session?.csrfToken ?? ''}">
    <button type="submit" class="link">${t(lang, 'ui.nav.logout')}</button></form></nav>`;
}

function languageSwitch(request: FastifyRequest): SafeHtml {
  const path = request.url.split('?')[0] ?? '/';
  const params = new URLSearchParams(request.url.split('?')[1] ?? '');
  const linkFor = (lang: string) => {
    params.set('lang', lang);
    return `${path}?${params.toString()}`;
  };
  return html`<span class="languages"><a href="${linkFor('nl')}" lang="nl">NL</a> · <a href="${linkFor('en')}" lang="en">EN</a></span>`;
}

export function page(request: FastifyRequest, options: PageOptions): string {
  const lang = request.lang;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Cybermonitor</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header><a class="brand" href="/">Cybermonitor</a>${navigation(request, options.csrfToken)}${languageSwitch(request)}</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
<footer>${t(lang, 'ui.footer')}</footer>
</body>
</html>`.value;
}
