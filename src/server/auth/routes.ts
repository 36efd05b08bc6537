import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { clearSessionCookie, originOf, requireAuth, setSessionCookie } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import { policiesFor, type AuthContext } from './context.js';
import { assessPassword } from './passwords.js';
import { csrfTokenFor } from './secrets.js';
import {
  ChangePasswordBody,
  CreateTokenBody,
  CreateTokenResponse,
  LoginBody,
  MeResponse,
  MfaStatus,
  PasswordCheckBody,
  PasswordCheckResponse,
  ReauthBody,
  RecoveryCodesResponse,
  SessionList,
  TokenList,
  TotpEnableBody,
  TotpSetupResponse,
} from './schema.js';

/** Sign-in is the most attacked door: tighter than the API-wide limit. */
const SIGN_IN_LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };

function presentMe(context: AuthContext) {
  return {
    user: context.user,
    workspace: context.workspace,
    csrfToken: context.sessionToken ? csrfTokenFor(context.sessionToken) : null,
    authMethod: context.method,
    mfaEnrollmentRequired: context.mfaEnrollmentRequired,
    policies: policiesFor(context.actor),
  };
}

export const authRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services, cookie }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, mfa, tokens } = services;
  const enrolling = { duringMfaEnrollment: true } as const;

  app.post(
    '/api/auth/login',
    { config: { auth: 'public', ...SIGN_IN_LIMIT }, schema: { tags: ['auth'], body: LoginBody, response: { 200: MeResponse, ...errors(400, 401, 429) } } },
    async (request, reply) => {
      const { token, context } = await auth.signIn(request.body, originOf(request));
      setSessionCookie(reply, cookie, token);
      return presentMe(context);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: enrolling, schema: { tags: ['auth'], response: { 204: NoContent, ...errors(401, 403) } } },
    async (request, reply) => {
      await auth.signOut(requireAuth(request).actor);
      clearSessionCookie(reply, cookie);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/auth/me', { config: enrolling, schema: { tags: ['auth'], response: { 200: MeResponse, ...errors(401) } } }, async (request) =>
    presentMe(requireAuth(request)),
  );

  app.post(
    '/api/auth/reauth',
    { config: { ...enrolling, ...SIGN_IN_LIMIT }, schema: { tags: ['auth'], body: ReauthBody, response: { 204: NoContent, ...errors(400, 401, 403) } } },
    async (request, reply) => {
      await auth.reauthenticate(requireAuth(request).actor, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password-check',
    { config: { auth: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: { tags: ['auth'], body: PasswordCheckBody, response: { 200: PasswordCheckResponse } } },
    async (request) => assessPassword(request.body.password, request.body.email),
  );

  app.post(
    '/api/account/password',
    { config: enrolling, schema: { tags: ['account'], body: ChangePasswordBody, response: { 204: NoContent, ...errors(400, 401, 403) } } },
    async (request, reply) => {
      await auth.changePassword(requireAuth(request).actor, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/account/mfa', { config: enrolling, schema: { tags: ['account'], response: { 200: MfaStatus } } }, async (request) =>
    mfa.status(requireAuth(request).actor),
  );

  app.post(
    '/api/account/mfa/totp/setup',
    { config: enrolling, schema: { tags: ['account'], response: { 200: TotpSetupResponse, ...errors(403, 409) } } },
    async (request) => mfa.beginTotpSetup(requireAuth(request).actor),
  );

  app.post(
    '/api/account/mfa/totp/enable',
    { config: enrolling, schema: { tags: ['account'], body: TotpEnableBody, response: { 200: RecoveryCodesResponse, ...errors(400, 409) } } },
    async (request) => mfa.enableTotp(requireAuth(request).actor, request.body.code),
  );

  app.post(
    '/api/account/mfa/totp/disable',
    { config: enrolling, schema: { tags: ['account'], response: { 204: NoContent, ...errors(403, 409) } } },
    async (request, reply) => {
      await mfa.disableTotp(requireAuth(request).actor);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/account/mfa/recovery-codes',
    { config: enrolling, schema: { tags: ['account'], response: { 200: RecoveryCodesResponse, ...errors(403, 409) } } },
    async (request) => mfa.regenerateRecoveryCodes(requireAuth(request).actor),
  );

  app.get('/api/account/sessions', { config: enrolling, schema: { tags: ['account'], response: { 200: SessionList } } }, async (request) => ({
    items: await auth.listSessions(requireAuth(request).actor),
  }));

  app.delete(
    '/api/account/sessions/:id',
    { config: enrolling, schema: { tags: ['account'], params: IdParams, response: { 204: NoContent, ...errors(404) } } },
    async (request, reply) => {
      await auth.endSession(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/account/sessions/end-all',
    { config: enrolling, schema: { tags: ['account'], response: { 204: NoContent } } },
    async (request, reply) => {
      await auth.endAllSessions(requireAuth(request).actor);
      clearSessionCookie(reply, cookie);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/account/tokens', { schema: { tags: ['account'], response: { 200: TokenList } } }, async (request) => ({
    items: await tokens.list(requireAuth(request).actor),
  }));

  app.post(
    '/api/account/tokens',
    { schema: { tags: ['account'], body: CreateTokenBody, response: { 201: CreateTokenResponse, ...errors(400) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      const created = await tokens.create(actor, { workspaceId: actor.workspaceId, userId: actor.userId }, request.body.name, request.body.expiresInDays, request.body.narrowing ?? null);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/account/tokens/:id',
    { schema: { tags: ['account'], params: IdParams, response: { 204: NoContent, ...errors(404) } } },
    async (request, reply) => {
      await tokens.revoke(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
