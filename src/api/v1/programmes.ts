// Programmes, IT partners, insurers and invitations: the frame an administrator sets up.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Actor } from '../../authz/actor.ts';
import { inviteMember } from '../../db/repositories/members.ts';
import { createInsurer, createPartner, createProgramme, listInsurers, listPartners, listProgrammes } from '../../db/repositories/programmes.ts';
import { insurerInput, invitationInput, partnerInput, programmeInput } from '../../domain/inputs.ts';
import { AppError } from '../../errors.ts';
import type { AppDependencies } from '../../http/app.ts';
import { rowDto } from './dto.ts';

const actorOf = (request: { actor: Actor | null }): Actor => {
  if (!request.actor) throw new AppError('unauthenticated', 'errors.unauthenticated');
  return request.actor;
};

export const programmeRoutes =
  (deps: AppDependencies): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    app.get('/programmes', { schema: { tags: ['programmes'] } }, async (request) => ({
      items: (await listProgrammes(db, actorOf(request))).map(rowDto),
    }));
    app.post('/programmes', { schema: { tags: ['programmes'], body: programmeInput } }, async (request, reply) =>
      reply.status(201).send(rowDto(await createProgramme(db, actorOf(request), request.body))),
    );
    app.get('/partners', { schema: { tags: ['programmes'] } }, async (request) => ({
      items: (await listPartners(db, actorOf(request))).map(rowDto),
    }));
    app.post('/partners', { schema: { tags: ['programmes'], body: partnerInput } }, async (request, reply) =>
      reply.status(201).send(rowDto(await createPartner(db, actorOf(request), request.body))),
    );
    app.get('/insurers', { schema: { tags: ['programmes'] } }, async (request) => {
      actorOf(request);
      return { items: (await listInsurers(db)).map(rowDto) };
    });
    app.post('/insurers', { schema: { tags: ['programmes'], body: insurerInput } }, async (request, reply) =>
      reply.status(201).send(rowDto(await createInsurer(db, actorOf(request), request.body.name))),
    );
    app.post('/invitations', { schema: { tags: ['people'], body: invitationInput } }, async (request, reply) => {
      const invited = await inviteMember(db, actorOf(request), request.body, { mailer: deps.mailer, publicUrl: deps.config.publicUrl });
      // The link goes by mail only; the API confirms who was invited.
      return reply.status(201).send({ userId: invited.userId, membershipId: invited.membershipId });
    });
  };
