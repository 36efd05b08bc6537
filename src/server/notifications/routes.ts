import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent, Nullable, Time } from '../http/schemas.js';

const NotificationSchema = Type.Object({ id: Type.String(), kind: Type.String(), payload: Type.Record(Type.String(), Type.Unknown()), createdAt: Time, readAt: Nullable<string>({ type: 'string', format: 'date-time' }) });

/** The signed-in user's own notifications. */
export const notificationRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/notifications', { config: { passive: true }, schema: { tags: ['account'], response: { 200: Type.Object({ items: Type.Array(NotificationSchema) }) } } }, async (request) => {
    const { actor } = requireAuth(request);
    return { items: await services.notifications.list(actor.workspaceId, actor.userId) };
  });
  app.post('/api/notifications/:id/read', { schema: { tags: ['account'], params: IdParams, response: { 204: NoContent, ...errors(404) } } }, async (request, reply) => {
    const { actor } = requireAuth(request);
    await services.notifications.markRead(actor.workspaceId, actor.userId, request.params.id);
    return reply.status(204).send(null);
  });
};
