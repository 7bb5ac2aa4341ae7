// Organisations, their contacts, consents, domains, results and scan requests. Every handler
// goes through a repository that scopes by the caller (src/authz): a foreign id answers 404.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDomain, listAssets, requireAsset, verifyDomainOwnership } from '../../db/repositories/assets.ts';
import {
  createOrganisation,
  grantConsent,
  listConsents,
  listContacts,
  listOrganisations,
  requireOrganisation,
  revokeConsent,
  setContact,
  updateOrganisationStatus,
} from '../../db/repositories/organisations.ts';
import { listCurrentResults, listRecentScans } from '../../db/repositories/results.ts';
import { consentInput, contactInput, domainInput, organisationInput, organisationStatusInput } from '../../domain/inputs.ts';
import { AppError } from '../../errors.ts';
import type { AppDependencies } from '../../http/app.ts';
import { assetDto, organisationDto, resultDto, rowDto } from './dto.ts';

const organisationParams = z.object({ organisationId: z.uuid() });
const consentParams = organisationParams.extend({ consentId: z.uuid() });
const assetParams = organisationParams.extend({ assetId: z.uuid() });
const tags = ['organisations'];

export const organisationRoutes =
  (deps: AppDependencies): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const actorOf = (request: { actor: import('../../authz/actor.ts').Actor | null }) => {
      if (!request.actor) throw new AppError('unauthenticated', 'errors.unauthenticated');
      return request.actor;
    };

    app.get('/organisations', { schema: { tags } }, async (request) => ({
      items: (await listOrganisations(db, actorOf(request))).map(organisationDto),
    }));

    app.post('/organisations', { schema: { tags, body: organisationInput } }, async (request, reply) => {
      const organisation = await createOrganisation(db, actorOf(request), request.body);
      return reply.status(201).send(organisationDto(organisation));
    });

    app.get('/organisations/:organisationId', { schema: { tags, params: organisationParams } }, async (request) =>
      organisationDto(await requireOrganisation(db, actorOf(request), request.params.organisationId)),
    );

    app.patch(
      '/organisations/:organisationId/status',
      { schema: { tags, params: organisationParams, body: organisationStatusInput } },
      async (request) => {
        await updateOrganisationStatus(db, actorOf(request), request.params.organisationId, request.body.status);
        return organisationDto(await requireOrganisation(db, actorOf(request), request.params.organisationId));
      },
    );

    app.get('/organisations/:organisationId/contacts', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listContacts(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));

    app.put(
      '/organisations/:organisationId/contacts',
      { schema: { tags, params: organisationParams, body: contactInput } },
      async (request) => rowDto(await setContact(db, actorOf(request), request.params.organisationId, request.body)),
    );

    app.get('/organisations/:organisationId/consents', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listConsents(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));

    app.post(
      '/organisations/:organisationId/consents',
      { schema: { tags, params: organisationParams, body: consentInput } },
      async (request, reply) => {
        const id = await grantConsent(db, actorOf(request), request.params.organisationId, request.body);
        return reply.status(201).send({ id });
      },
    );

    app.delete('/organisations/:organisationId/consents/:consentId', { schema: { tags, params: consentParams } }, async (request, reply) => {
      await revokeConsent(db, actorOf(request), request.params.organisationId, request.params.consentId);
      return reply.status(204).send();
    });

    app.get('/organisations/:organisationId/domains', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listAssets(db, actorOf(request), request.params.organisationId)).filter((a) => a.kind === 'domain').map(assetDto),
    }));

    app.post(
      '/organisations/:organisationId/domains',
      { schema: { tags, params: organisationParams, body: domainInput } },
      async (request, reply) => {
        const asset = await addDomain(db, actorOf(request), request.params.organisationId, request.body.domain, {
          allowPrivate: deps.config.allowPrivateTargets,
        });
        return reply.status(201).send(assetDto(asset));
      },
    );

    app.post(
      '/organisations/:organisationId/domains/:assetId/scans',
      { schema: { tags, params: assetParams } },
      async (request, reply) => {
        const actor = actorOf(request);
        const asset = await requireAsset(db, actor, request.params.organisationId, request.params.assetId, 'scan.request');
        const jobId = await deps.requestScan({ organisationId: asset.organisation_id, assetId: asset.id, requestedBy: actor.userId });
        return reply.status(202).send({ queued: jobId !== null, jobId });
      },
    );

    app.post(
      '/organisations/:organisationId/domains/:assetId/verification',
      { schema: { tags, params: assetParams } },
      async (request) =>
        assetDto(await verifyDomainOwnership(db, actorOf(request), request.params.organisationId, request.params.assetId, deps.proveOwnership)),
    );

    app.get('/organisations/:organisationId/results', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listCurrentResults(db, actorOf(request), request.params.organisationId)).map(resultDto),
    }));

    app.get('/organisations/:organisationId/scans', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listRecentScans(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));
  };
