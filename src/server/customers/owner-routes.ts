import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, Id, IdParams, Nullable, NullableString } from '../http/schemas.js';
import { UUID_PATTERN } from '../ids.js';
import { MAX_REASSIGN_BATCH } from '../vault/gateway.js';
import { CustomerDetail } from './schema.js';

const TeamId = Type.Optional(Nullable<string>({ type: 'string', pattern: UUID_PATTERN, maxLength: 36, description: 'The owning team; by default the new owner’s team, null for none.' }));
const OwnerBody = Type.Object({ ownerId: Id, teamId: TeamId }, { additionalProperties: false });
const BulkOwnerBody = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: MAX_REASSIGN_BATCH }), ownerId: Id, teamId: TeamId }, { additionalProperties: false });
const BulkOwnerResult = Type.Object({
  reassigned: Type.Integer({ description: 'Customers that now have the new owner and team.' }),
  notFound: Type.Array(Type.String(), { description: 'Ids that name no customer the caller may reassign.' }),
});
const AssignableOwners = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), teamId: NullableString, teamName: NullableString })),
  teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

/** Who owns a customer (issue #4): HTTP only, every call through the records gateway, which checks and records it. */
export const ownerRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;

  app.get('/api/customers/assignable-owners', { schema: { tags: ['customers'], response: { 200: AssignableOwners, ...errors(403) } } }, async (request) =>
    vault.assignableOwners(requireAuth(request).actor),
  );

  app.put(
    '/api/customers/:id/owner',
    { schema: { tags: ['customers'], params: IdParams, body: OwnerBody, response: { 200: CustomerDetail, ...errors(400, 403, 404) } } },
    async (request) => vault.reassignOwner(requireAuth(request).actor, request.params.id, request.body),
  );

  app.post(
    '/api/customers/reassign',
    { schema: { tags: ['customers'], body: BulkOwnerBody, response: { 200: BulkOwnerResult, ...errors(400, 403) } } },
    async (request) => {
      const { ids, ownerId, teamId } = request.body;
      return vault.reassignOwners(requireAuth(request).actor, ids, { ownerId, teamId });
    },
  );
};
