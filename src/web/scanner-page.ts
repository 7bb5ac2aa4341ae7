// /scanner: the page our User-Agent points to. A site owner who finds the Cybermonitor in their
// logs reads here who scans, what is looked at, and when deeper probes run.
import type { FastifyPluginAsync } from 'fastify';
import type { AppDependencies } from '../http/app.ts';
import { t } from '../i18n/index.ts';
import { html } from './html.ts';
import { sendPage } from './respond.ts';

export const scannerPage =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    app.get('/scanner', { config: { public: true } }, async (request, reply) => {
      const lang = request.lang;
      const contact = deps.config.mailFrom.replace(/^.*<([^>]+)>.*$/, '$1');
      const body = html`<p>${t(lang, 'ui.scanner.intro')}</p>
        <h2>${t(lang, 'ui.scanner.passive_title')}</h2><p>${t(lang, 'ui.scanner.passive')}</p>
        <h2>${t(lang, 'ui.scanner.active_title')}</h2><p>${t(lang, 'ui.scanner.active')}</p>
        <h2>${t(lang, 'ui.scanner.contact_title')}</h2><p>${t(lang, 'ui.scanner.contact', { contact })}</p>`;
      return sendPage(request, reply, 'ui.scanner.title', body);
    });
  };
