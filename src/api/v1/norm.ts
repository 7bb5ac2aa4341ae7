// The norm, a company's score and standing, its monthly verdicts and its accepted risks.
// Who may see what is decided in src/authz (norm.view, results.view, risk.accept).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../authz/actor.ts';
import { assertCanOnPlatform } from '../../authz/policy.ts';
import { acceptRisk, listAcceptedRisks, withdrawRisk } from '../../db/repositories/accepted-risks.ts';
import { listMonthlyResults } from '../../db/repositories/monthly-results.ts';
import { requireOrganisation } from '../../db/repositories/organisations.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AppDependencies } from '../../http/app.ts';
import { normServices } from '../../norm/services.ts';
import { companyStanding } from '../../norm/standing.ts';
import { rowDto } from './dto.ts';

const actorOf = (request: { actor: Actor | null }): Actor => {
  if (!request.actor) throw new AppError('unauthenticated', 'errors.unauthenticated');
  return request.actor;
};
const organisationParams = z.object({ organisationId: z.uuid() });
const riskParams = organisationParams.extend({ riskId: z.uuid() });
export const acceptRiskInput = z.object({
  controlId: z.string().min(1).max(40),
  reason: z.string().trim().min(1).max(2000),
  expiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const tags = ['norm'];

export const normRoutes =
  (deps: AppDependencies): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const services = () => normServices(db, deps.config);

    app.get('/norm', { schema: { tags, querystring: z.object({ version: z.string().optional() }) } }, async (request) => {
      assertCanOnPlatform(actorOf(request), 'norm.view');
      const { norms } = services();
      const norm = request.query.version ? norms.byVersion(request.query.version) : norms.forMonth(services().today().slice(0, 7));
      if (!norm) throw notFound();
      return { ...norm, versions: norms.versions.map((n) => ({ version: n.version, effectiveFrom: n.effectiveFrom })) };
    });

    app.get('/organisations/:organisationId/score', { schema: { tags, params: organisationParams } }, async (request) => {
      const organisation = await requireOrganisation(db, actorOf(request), request.params.organisationId, 'results.view');
      const standing = await companyStanding(db, organisation.id, services().norms, new Date());
      return {
        month: standing.month,
        normVersion: standing.norm.version,
        score: standing.score.score,
        grade: standing.score.grade,
        areas: standing.score.areas.map((a) => ({ area: a.areaId, pillar: a.pillar, measured: a.measured, score: a.score })),
        controls: standing.score.controls.map((c) => ({
          control: c.controlId,
          level: c.level,
          area: c.area,
          measured: c.measured,
          passing: c.passing,
          score: c.score === null ? null : Math.round(c.score),
          accepted: c.accepted,
        })),
        progress: {
          monthNumber: standing.monthNumber,
          of: standing.streakMonths,
          streakBefore: standing.streakBefore,
          coverage: standing.soFar.coverage,
          blocking: standing.blocking,
        },
        certificate: standing.certificate,
        trend: standing.trend,
        changes: standing.changes,
      };
    });

    app.get('/organisations/:organisationId/monthly-results', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listMonthlyResults(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));

    app.get('/organisations/:organisationId/accepted-risks', { schema: { tags, params: organisationParams } }, async (request) => ({
      items: (await listAcceptedRisks(db, actorOf(request), request.params.organisationId)).map(rowDto),
    }));

    app.post('/organisations/:organisationId/accepted-risks', { schema: { tags, params: organisationParams, body: acceptRiskInput } }, async (request, reply) => {
      const { norms, today } = services();
      const row = await acceptRisk(db, actorOf(request), request.params.organisationId, request.body, norms.forMonth(today().slice(0, 7)), today());
      return reply.status(201).send(rowDto(row));
    });

    app.delete('/organisations/:organisationId/accepted-risks/:riskId', { schema: { tags, params: riskParams } }, async (request, reply) => {
      await withdrawRisk(db, actorOf(request), request.params.organisationId, request.params.riskId);
      return reply.status(204).send();
    });
  };
