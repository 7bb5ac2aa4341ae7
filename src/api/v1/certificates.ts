// The Cyberkeurmerk over the API: a company's certificates and their files (certificate.view),
// approval and revocation (certificate.approve / certificate.revoke), and the public
// verification that shows only what the company agreed to publish.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../authz/actor.ts';
import { approveCertificate, certificateFiles, listCertificates, publicCertificate, requireCertificate, revokeCertificate } from '../../db/repositories/certificates.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AppDependencies } from '../../http/app.ts';
import { normServices } from '../../norm/services.ts';
import { rowDto } from './dto.ts';

const actorOf = (request: { actor: Actor | null }): Actor => {
  if (!request.actor) throw new AppError('unauthenticated', 'errors.unauthenticated');
  return request.actor;
};
const organisationParams = z.object({ organisationId: z.uuid() });
const certificateParams = z.object({ certificateId: z.uuid() });
export const revokeInput = z.object({ reason: z.string().trim().min(1).max(1000) });
const tags = ['certificates'];

export const certificateRoutes =
  (deps: AppDependencies): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const services = () => normServices(db, deps.config);

    app.get('/organisations/:organisationId/certificates', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listCertificates(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));

    app.get('/certificates/:certificateId', { schema: { tags, params: certificateParams } }, async (request) =>
      rowDto(await requireCertificate(db, actorOf(request), request.params.certificateId, 'certificate.view')),
    );

    app.get('/certificates/:certificateId/document.pdf', { schema: { tags, params: certificateParams } }, async (request, reply) => {
      const files = await certificateFiles(db, actorOf(request), request.params.certificateId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="cyberkeurmerk-${files.certificate.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(files.pdf);
    });

    app.get('/certificates/:certificateId/statement.json', { schema: { tags, params: certificateParams } }, async (request, reply) => {
      const files = await certificateFiles(db, actorOf(request), request.params.certificateId);
      return reply
        .type('application/json')
        .header('content-disposition', `attachment; filename="cyberkeurmerk-${files.certificate.id}.json"`)
        .header('cache-control', 'no-store')
        .send(JSON.stringify(files.signedStatement));
    });

    app.post('/certificates/:certificateId/revoke', { schema: { tags, params: certificateParams, body: revokeInput } }, async (request) => {
      await revokeCertificate(db, actorOf(request), request.params.certificateId, request.body.reason);
      return rowDto(await requireCertificate(db, actorOf(request), request.params.certificateId, 'certificate.view'));
    });

    app.post('/certificates/:certificateId/approve', { schema: { tags, params: certificateParams } }, async (request) => {
      const { norms, issuer, today } = services();
      await approveCertificate(db, actorOf(request), request.params.certificateId, { issuer, norms, today: today() });
      return rowDto(await requireCertificate(db, actorOf(request), request.params.certificateId, 'certificate.view'));
    });

    app.get('/verify/:certificateId', { config: { public: true }, schema: { tags, params: certificateParams, security: [] } }, async (request) => {
      const found = await publicCertificate(db, request.params.certificateId, services().today());
      if (!found) throw notFound();
      return found;
    });
  };
