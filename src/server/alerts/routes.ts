import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams } from '../http/schemas.js';
import { AlertPage, AlertQuery, AlertSchema, RulesBody, RulesResponse } from './schema.js';

/**
 * The alert inbox, for whoever may read the audit trail or change settings (the service checks),
 * and the detection rules' settings, for those who may change the workspace's settings.
 */
export const alertRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { alerts } = services;
  const settings = { auth: { capability: 'manageSettings' } } as const;

  app.get('/api/alerts', { schema: { tags: ['alerts'], querystring: AlertQuery, response: { 200: AlertPage, ...errors(400, 403) } } }, async (request) => {
    const { status = 'open', cursor, limit = 50 } = request.query;
    return alerts.list(requireAuth(request).actor, { status, cursor, limit });
  });

  app.get('/api/alerts/:id', { schema: { tags: ['alerts'], params: IdParams, response: { 200: AlertSchema, ...errors(403, 404) } } }, async (request) =>
    alerts.get(requireAuth(request).actor, request.params.id),
  );

  app.post('/api/alerts/:id/acknowledge', { schema: { tags: ['alerts'], params: IdParams, response: { 200: AlertSchema, ...errors(403, 404, 409) } } }, async (request) =>
    alerts.acknowledge(requireAuth(request).actor, request.params.id),
  );

  app.post('/api/alerts/:id/resolve', { schema: { tags: ['alerts'], params: IdParams, response: { 200: AlertSchema, ...errors(403, 404, 409) } } }, async (request) =>
    alerts.resolve(requireAuth(request).actor, request.params.id),
  );

  app.get('/api/admin/alert-rules', { config: settings, schema: { tags: ['admin'], response: { 200: RulesResponse, ...errors(403) } } }, async (request) =>
    alerts.rules(requireAuth(request).actor),
  );

  app.put(
    '/api/admin/alert-rules',
    { config: settings, schema: { tags: ['admin'], body: RulesBody, response: { 200: RulesResponse, ...errors(400, 403) } } },
    async (request) => alerts.updateRules(requireAuth(request).actor, request.body.rules),
  );
};
