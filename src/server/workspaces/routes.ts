import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { originOf, requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors } from '../http/schemas.js';
import { SettingsSchema, SetupBody, SetupResponse, SetupStatus, UpdateSettingsBody } from './schema.js';

export const workspaceRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { workspaces } = services;

  app.get('/api/setup', { config: { auth: 'public' }, schema: { tags: ['setup'], response: { 200: SetupStatus } } }, async () => ({
    needsSetup: await workspaces.needsSetup(),
  }));

  app.post(
    '/api/setup',
    { config: { auth: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { tags: ['setup'], body: SetupBody, response: { 201: SetupResponse, ...errors(400, 403, 409) } } },
    async (request, reply) => {
      const { setupToken, ...input } = request.body;
      const { user } = await workspaces.setUp(setupToken, input, originOf(request));
      return reply.status(201).send({ user });
    },
  );

  app.get('/api/admin/settings', { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['admin'], response: { 200: SettingsSchema, ...errors(403) } } }, async (request) =>
    workspaces.getSettings(requireAuth(request).actor),
  );

  app.patch(
    '/api/admin/settings',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['admin'], body: UpdateSettingsBody, response: { 200: SettingsSchema, ...errors(400, 403) } } },
    async (request) => workspaces.updateSettings(requireAuth(request).actor, request.body),
  );
};
