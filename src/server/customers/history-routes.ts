import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NullableString, StringEnum, Time } from '../http/schemas.js';
import { UUID_PATTERN } from '../ids.js';
import { HISTORY_CHANGES } from '../vault/gateway.js';

const FieldKey = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,63}$', maxLength: 64, description: 'Only this field’s history.' });
const HistoryQuery = Type.Object(
  {
    field: Type.Optional(FieldKey),
    cursor: Type.Optional(Type.String({ pattern: UUID_PATTERN, maxLength: 36, description: 'nextCursor of the previous page.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
const HistoryEntry = Type.Object({
  id: Type.String(),
  at: Time,
  field: Type.String(),
  kind: StringEnum(HISTORY_CHANGES),
  actor: Type.Object({ type: StringEnum(['user', 'system'] as const), id: NullableString, name: NullableString }),
  old: Type.Optional(Type.Unknown({ description: 'The value before, at the caller’s level for the field (masked or in clear); a reclassification: the class before. Absent: none.' })),
  new: Type.Optional(Type.Unknown({ description: 'The value after, likewise; absent when the change cleared it.' })),
});
const HistoryPage = Type.Object({
  items: Type.Array(HistoryEntry),
  fields: Type.Array(Type.String(), { description: 'The fields of this customer with a history the caller may see: what the page can be filtered by.' }),
  nextCursor: NullableString,
});

/** A customer's field history (issue #5): HTTP only, the records gateway decides what each caller sees of it. */
export const historyRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;

  app.get(
    '/api/customers/:id/history',
    { schema: { tags: ['customers'], params: IdParams, querystring: HistoryQuery, response: { 200: HistoryPage, ...errors(400, 403, 404) } } },
    async (request) => {
      const { field, cursor, limit } = request.query;
      return vault.history(requireAuth(request).actor, request.params.id, { field, cursor, limit: limit ?? 50 });
    },
  );
};
