import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams } from '../http/schemas.js';
import { LatestReports, NewReportBody, QualityReportSchema } from './schema.js';

/**
 * HTTP only: the data-quality report (issue 7), run as a background job of this server and
 * polled with GET (jobs.ts also runs it nightly). Who may see it, the service (and behind it the
 * gateway) decides.
 */
export const qualityRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { quality } = services;
  // preClose: before the onClose hooks, one of which closes the database the job reads.
  fastify.addHook('preClose', () => quality.stopAll());

  app.post(
    '/api/quality/reports',
    {
      schema: {
        tags: ['quality'],
        description: 'Starts a data-quality report of every live customer, in the background; poll it with GET.',
        body: NewReportBody,
        response: { 202: QualityReportSchema, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(await quality.start(requireAuth(request).actor, request.body)),
  );

  app.get('/api/quality/reports/latest', { schema: { tags: ['quality'], response: { 200: LatestReports, ...errors(403) } } }, async (request) =>
    quality.latest(requireAuth(request).actor),
  );

  app.get('/api/quality/reports/:id', { schema: { tags: ['quality'], params: IdParams, response: { 200: QualityReportSchema, ...errors(403, 404) } } }, async (request) =>
    quality.get(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/quality/reports/:id/cancel',
    { schema: { tags: ['quality'], description: 'Stops a running report after its current batch.', params: IdParams, response: { 200: QualityReportSchema, ...errors(403, 404, 409) } } },
    async (request) => quality.cancel(requireAuth(request).actor, request.params.id),
  );
};
