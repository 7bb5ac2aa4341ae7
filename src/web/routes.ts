import type { FastifyPluginAsync } from 'fastify';
import type { AppDependencies } from '../http/app.ts';
import { adminPages } from './admin-pages.ts';
import { authPages } from './auth-pages.ts';
import { organisationPages } from './organisation-pages.ts';

export const webRoutes =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    await app.register(authPages(deps));
    await app.register(organisationPages(deps));
    await app.register(adminPages(deps));
  };
