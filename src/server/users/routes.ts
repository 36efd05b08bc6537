import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { originOf, requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import {
  AcceptInvitationBody,
  ChangeEmailBody,
  ChangeRoleBody,
  InvitationList,
  InvitationPreview,
  InvitationTokenParams,
  InviteBody,
  InviteResponse,
  UpdateProfileBody,
  UserList,
  UserResponse,
} from './schema.js';

export const userRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { users } = services;
  const admin = { auth: 'admin' } as const;

  app.patch(
    '/api/account',
    { config: { duringMfaEnrollment: true }, schema: { tags: ['account'], body: UpdateProfileBody, response: { 200: UserResponse, ...errors(400) } } },
    async (request) => ({ user: await users.updateProfile(requireAuth(request).actor, request.body) }),
  );

  app.post(
    '/api/account/email',
    { config: { duringMfaEnrollment: true }, schema: { tags: ['account'], body: ChangeEmailBody, response: { 200: UserResponse, ...errors(400, 403, 409) } } },
    async (request) => ({ user: await users.changeEmail(requireAuth(request).actor, request.body.email) }),
  );

  app.get('/api/admin/users', { config: admin, schema: { tags: ['admin'], response: { 200: UserList, ...errors(403) } } }, async (request) => ({
    items: await users.list(requireAuth(request).actor),
  }));

  app.patch(
    '/api/admin/users/:id',
    { config: admin, schema: { tags: ['admin'], params: IdParams, body: ChangeRoleBody, response: { 200: UserResponse, ...errors(400, 403, 404, 409) } } },
    async (request) => ({ user: await users.changeRole(requireAuth(request).actor, request.params.id, request.body.role) }),
  );

  app.post(
    '/api/admin/users/:id/deactivate',
    { config: admin, schema: { tags: ['admin'], params: IdParams, response: { 200: UserResponse, ...errors(400, 403, 404, 409) } } },
    async (request) => ({ user: await users.deactivate(requireAuth(request).actor, request.params.id) }),
  );

  app.post(
    '/api/admin/users/:id/reactivate',
    { config: admin, schema: { tags: ['admin'], params: IdParams, response: { 200: UserResponse, ...errors(403, 404) } } },
    async (request) => ({ user: await users.reactivate(requireAuth(request).actor, request.params.id) }),
  );

  app.get('/api/admin/invitations', { config: admin, schema: { tags: ['admin'], response: { 200: InvitationList, ...errors(403) } } }, async (request) => ({
    items: await users.listInvitations(requireAuth(request).actor),
  }));

  app.post(
    '/api/admin/invitations',
    { config: admin, schema: { tags: ['admin'], body: InviteBody, response: { 201: InviteResponse, ...errors(400, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await users.invite(requireAuth(request).actor, request.body)),
  );

  app.delete(
    '/api/admin/invitations/:id',
    { config: admin, schema: { tags: ['admin'], params: IdParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await users.revokeInvitation(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/invitations/:token',
    { config: { auth: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['invitations'], params: InvitationTokenParams, response: { 200: InvitationPreview, ...errors(404) } } },
    async (request) => (await users.lookupInvitation(request.params.token)).view,
  );

  app.post(
    '/api/invitations/accept',
    { config: { auth: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { tags: ['invitations'], body: AcceptInvitationBody, response: { 201: UserResponse, ...errors(400, 404, 409) } } },
    async (request, reply) => {
      const { token, ...input } = request.body;
      return reply.status(201).send({ user: await users.acceptInvitation(token, input, originOf(request)) });
    },
  );
};
