import type { FastifyPluginAsync } from 'fastify';
import type { AppDependencies } from '../http/app.ts';
import { adminPages } from './admin-pages.ts';
import { authPages } from './auth-pages.ts';
import { certificatePages } from './certificate-pages.ts';
import { normPages } from './norm-pages.ts';
import { organisationPages } from './organisation-pages.ts';
import { scannerPage } from './scanner-page.ts';
import { scorePages } from './score-pages.ts';

export const webRoutes =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    await app.register(authPages(deps));
    await app.register(organisationPages(deps));
    await app.register(scannerPage(deps));
    await app.register(adminPages(deps));
    await app.register(normPages(deps));
    await app.register(scorePages(deps));
    await app.register(certificatePages(deps));
  };
