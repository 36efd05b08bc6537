import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RolePermissions } from '../../shared/permissions.js';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import { BreakGlassBody, BreakGlassGrant, BreakGlassState, NewRoleBody, NewTeamBody, RoleChangesBody, RoleList, RoleParams, RoleSchema, TeamChangesBody, TeamList, TeamSchema, UserTeamBody } from './schema.js';

/** Roles and teams: HTTP only. Reading them is for user administrators; changing them needs its own capability. */
export const accessRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { access } = services;
  const admin = { auth: 'admin' } as const;

  app.get('/api/account/break-glass', { schema: { tags: ['account'], response: { 200: BreakGlassState } } }, async (request) => {
    const { actor } = requireAuth(request);
    return { grant: await services.breakGlass.current(actor.workspaceId, actor.userId) };
  });

  app.post(
    '/api/account/break-glass',
    // Open to every signed-in user: the service asks for the breakGlass capability itself.
    { schema: { tags: ['account'], body: BreakGlassBody, response: { 201: BreakGlassGrant, ...errors(400, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await services.breakGlass.start(requireAuth(request).actor, request.body)),
  );

  app.delete('/api/account/break-glass', { schema: { tags: ['account'], response: { 204: NoContent, ...errors(404) } } }, async (request, reply) => {
    await services.breakGlass.end(requireAuth(request).actor);
    return reply.status(204).send(null);
  });

  app.get('/api/admin/roles', { config: admin, schema: { tags: ['admin'], response: { 200: RoleList, ...errors(403) } } }, async (request) => ({
    items: await access.roles(requireAuth(request).actor.workspaceId),
  }));

  app.post(
    '/api/admin/roles',
    { config: admin, schema: { tags: ['admin'], body: NewRoleBody, response: { 201: RoleSchema, ...errors(400, 403, 409) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      await access.requireCapability(actor, 'manageRoles');
      return reply.status(201).send(await access.createRole(actor, { ...request.body, permissions: request.body.permissions as RolePermissions }));
    },
  );

  app.patch(
    '/api/admin/roles/:key',
    { config: admin, schema: { tags: ['admin'], params: RoleParams, body: RoleChangesBody, response: { 200: RoleSchema, ...errors(400, 403, 404, 409) } } },
    async (request) => {
      const { actor } = requireAuth(request);
      await access.requireCapability(actor, 'manageRoles');
      const { labels, permissions } = request.body;
      return access.updateRole(actor, request.params.key, { labels, permissions: permissions as RolePermissions | undefined });
    },
  );

  app.delete(
    '/api/admin/roles/:key',
    { config: admin, schema: { tags: ['admin'], params: RoleParams, response: { 204: NoContent, ...errors(403, 404, 409) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      await access.requireCapability(actor, 'manageRoles');
      await access.deleteRole(actor, request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/admin/teams', { config: admin, schema: { tags: ['admin'], response: { 200: TeamList, ...errors(403) } } }, async (request) => ({
    items: await access.teams(requireAuth(request).actor.workspaceId),
  }));

  app.post('/api/admin/teams', { config: admin, schema: { tags: ['admin'], body: NewTeamBody, response: { 201: TeamSchema, ...errors(400, 403, 404, 409) } } }, async (request, reply) => {
    const { actor } = requireAuth(request);
    await access.requireCapability(actor, 'manageTeams');
    return reply.status(201).send(await access.addTeam(actor, request.body));
  });

  app.patch(
    '/api/admin/teams/:id',
    { config: admin, schema: { tags: ['admin'], params: IdParams, body: TeamChangesBody, response: { 200: TeamSchema, ...errors(400, 403, 404, 409) } } },
    async (request) => {
      const { actor } = requireAuth(request);
      await access.requireCapability(actor, 'manageTeams');
      return access.updateTeam(actor, request.params.id, request.body);
    },
  );

  app.delete('/api/admin/teams/:id', { config: admin, schema: { tags: ['admin'], params: IdParams, response: { 204: NoContent, ...errors(403, 404, 409) } } }, async (request, reply) => {
    const { actor } = requireAuth(request);
    await access.requireCapability(actor, 'manageTeams');
    await access.deleteTeam(actor, request.params.id);
    return reply.status(204).send(null);
  });

  app.put(
    '/api/admin/users/:id/team',
    { config: admin, schema: { tags: ['admin'], params: IdParams, body: UserTeamBody, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      await access.requireCapability(actor, 'manageTeams');
      await access.setUserTeam(actor, request.params.id, request.body.teamId);
      return reply.status(204).send(null);
    },
  );
};
