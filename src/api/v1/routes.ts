import type { FastifyPluginAsync } from 'fastify';
import type { AppDependencies } from '../../http/app.ts';
import { authRoutes } from './auth.ts';
import { certificateRoutes } from './certificates.ts';
import { normRoutes } from './norm.ts';
import { organisationRoutes } from './organisations.ts';
import { programmeRoutes } from './programmes.ts';

export const apiRoutes =
  (deps: AppDependencies): FastifyPluginAsync =>
  async (app) => {
    await app.register(authRoutes(deps));
    await app.register(organisationRoutes(deps));
    await app.register(programmeRoutes(deps));
    await app.register(normRoutes(deps));
    await app.register(certificateRoutes(deps));
  };
