// Builds the HTTP service: security headers, cookies, sessions, CSRF, rate limits, the JSON
// API under /api/v1 with its OpenAPI document, and the server-rendered pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { apiRoutes } from '../api/v1/routes.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { OwnershipProver } from '../ownership/prove-domain.ts';
import { webRoutes } from '../web/routes.ts';
import { installErrorHandling } from './error-handler.ts';
import { installRequestContext } from './request-context.ts';

/** Queues a scan of one domain now; null when the queue refused a duplicate. */
export type ScanRequester = (request: { organisationId: string; assetId: string; requestedBy: string }) => Promise<string | null>;

export interface AppDependencies {
  database: Database;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  requestScan: ScanRequester;
  proveOwnership: OwnershipProver;
}

const stylesheet = readFileSync(join(import.meta.dirname, '../web/assets/app.css'), 'utf8');
const isDocumentationRoute = (url: string): boolean => url === '/api/openapi.json' || url.startsWith('/api/docs');

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    trustProxy: deps.config.secureCookies,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: deps.config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, { global: false });

  app.addHook('onRoute', (route) => {
    if (isDocumentationRoute(route.url)) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Cybermonitor API', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cm_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installRequestContext(app, deps.database.db, deps.config.secureCookies);
  installErrorHandling(app);

  app.get('/assets/app.css', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => {
    await sql`SELECT 1`.execute(deps.database.db);
    return { status: 'ok' };
  });

  await app.register(apiRoutes(deps), { prefix: '/api/v1' });
  await app.register(webRoutes(deps));
  return app as unknown as FastifyInstance;
}
