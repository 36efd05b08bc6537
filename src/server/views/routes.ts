import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, NoContent } from '../http/schemas.js';
import { NewViewBody, ViewChangesBody, ViewList, ViewParams, ViewSchema } from './schema.js';
import type { ViewService } from './service.js';

/** HTTP only: saved views of the customers list, for whoever may read customers. */
export const viewRoutes: FastifyPluginAsync<RouteDeps & { views: ViewService }> = async (fastify, { views }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/views', { schema: { tags: ['views'], response: { 200: ViewList, ...errors(403) } } }, async (request) => ({
    items: await views.list(requireAuth(request).actor),
  }));

  app.post(
    '/api/views',
    { schema: { tags: ['views'], body: NewViewBody, response: { 201: ViewSchema, ...errors(400, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await views.create(requireAuth(request).actor, request.body)),
  );

  app.patch(
    '/api/views/:id',
    { schema: { tags: ['views'], params: ViewParams, body: ViewChangesBody, response: { 200: ViewSchema, ...errors(400, 403, 404) } } },
    async (request) => views.update(requireAuth(request).actor, request.params.id, request.body),
  );

  app.delete(
    '/api/views/:id',
    { schema: { tags: ['views'], params: ViewParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await views.remove(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
