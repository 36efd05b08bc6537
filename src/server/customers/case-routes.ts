import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, Id, IdParams, Nullable, StringEnum, Time } from '../http/schemas.js';

const CaseSchema = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  status: StringEnum(['open', 'closed'] as const),
  ownerId: Nullable<string>({ type: 'string' }),
  createdAt: Time,
  closedAt: Nullable<string>({ type: 'string', format: 'date-time' }),
});
const CaseList = Type.Object({ items: Type.Array(CaseSchema) });
const NewCaseBody = Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const CaseParams = Type.Object({ id: Id, caseId: Id }, { additionalProperties: false });

/** Support cases on a customer: HTTP only, every call through the records gateway. */
export const caseRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;

  app.get('/api/customers/:id/cases', { schema: { tags: ['customers'], params: IdParams, response: { 200: CaseList, ...errors(403, 404) } } }, async (request) =>
    vault.cases(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/:id/cases',
    { schema: { tags: ['customers'], params: IdParams, body: NewCaseBody, response: { 201: CaseSchema, ...errors(400, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await vault.openCase(requireAuth(request).actor, request.params.id, request.body)),
  );

  app.post(
    '/api/customers/:id/cases/:caseId/close',
    { schema: { tags: ['customers'], params: CaseParams, response: { 200: CaseSchema, ...errors(403, 404, 409) } } },
    async (request) => vault.closeCase(requireAuth(request).actor, request.params.id, request.params.caseId),
  );
};
