import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import { badRequest } from '../http/errors.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import {
  ContactPointBody,
  ContactPointList,
  ContactPointParams,
  ContactPointSchema,
  CustomerChanges,
  EraseBody,
  CustomerInput,
  CustomerPage,
  CustomerQuery,
  CustomerDetail,
  EventBatch,
  EventBatchResult,
  EventPage,
  EventQuery,
  FieldChangesBody,
  FieldDefinitionSchema,
  FieldList,
  FieldParams,
  NewFieldBody,
  NoteBody,
  NoteList,
  NoteParams,
  NoteSchema,
  ReclassifyBody,
  ReclassifyResult,
  RevealBody,
  RevealResponse,
  TransactionBody,
  TransactionList,
  TransactionSchema,
} from './schema.js';

/** A batch of 1,000 events with their properties needs more than the API's default 64 KiB. */
const EVENT_BATCH_BODY_LIMIT = 4 * 1024 * 1024;

const LOOKUP_KEYS = ['email', 'phone', 'nationalId', 'name'] as const;

/** HTTP only: every call goes to the records gateway with the caller's Actor. */
export const customerRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;

  app.post(
    '/api/customers',
    { schema: { tags: ['customers'], body: CustomerInput, response: { 201: CustomerDetail, ...errors(400, 403) } } },
    async (request, reply) => reply.status(201).send(await vault.create(requireAuth(request).actor, request.body)),
  );

  app.get(
    '/api/customers',
    { schema: { tags: ['customers'], querystring: CustomerQuery, response: { 200: CustomerPage, ...errors(400, 403) } } },
    async (request) => {
      const { actor } = requireAuth(request);
      const lookups = LOOKUP_KEYS.filter((key) => request.query[key] !== undefined);
      if (lookups.length > 1) throw badRequest('one_lookup_at_a_time', 'Look up by one of email, phone, nationalId or name at a time.', lookups[1]);
      const key = lookups[0];
      if (key) return { items: await vault.lookup(actor, key, request.query[key]!), nextCursor: null };
      const { q, kind, filter, sort, cursor, limit } = request.query;
      return vault.list(actor, { q, kind, filters: filter, sort, cursor, limit: limit ?? 50 });
    },
  );

  app.get('/api/customers/fields', { schema: { tags: ['customers'], response: { 200: FieldList, ...errors(403) } } }, async (request) => ({
    items: [...(await vault.fields(requireAuth(request).actor))],
  }));

  app.post(
    '/api/admin/fields',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['admin'], body: NewFieldBody, response: { 201: FieldDefinitionSchema, ...errors(400, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await services.fields.create(requireAuth(request).actor, request.body)),
  );

  app.patch(
    '/api/admin/fields/:kind/:key',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['admin'], params: FieldParams, body: FieldChangesBody, response: { 200: FieldDefinitionSchema, ...errors(400, 403, 404, 409) } } },
    async (request) => services.fields.update(requireAuth(request).actor, request.params.kind, request.params.key, request.body),
  );

  app.post(
    '/api/admin/fields/:kind/:key/reclassify',
    {
      config: { auth: { capability: 'manageSettings' } },
      schema: { tags: ['admin'], params: FieldParams, body: ReclassifyBody, response: { 200: ReclassifyResult, ...errors(400, 403, 404, 409) } },
    },
    async (request) => {
      const { kind, key } = request.params;
      const { moved } = await vault.reclassifyField(requireAuth(request).actor, kind, key, request.body.sensitivity, request.body.reason);
      const field = (await vault.fields(requireAuth(request).actor)).find((f) => f.kind === kind && f.key === key)!;
      return { field, moved };
    },
  );

  app.patch(
    '/api/customers/:id',
    { schema: { tags: ['customers'], params: IdParams, body: CustomerChanges, response: { 200: CustomerDetail, ...errors(400, 403, 404) } } },
    async (request) => vault.update(requireAuth(request).actor, request.params.id, request.body),
  );

  app.delete(
    '/api/customers/:id',
    { schema: { tags: ['customers'], params: IdParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await vault.remove(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/customers/:id/erase',
    { schema: { tags: ['customers'], params: IdParams, body: EraseBody, response: { 204: NoContent, ...errors(400, 403, 404) } } },
    async (request, reply) => {
      await vault.erase(requireAuth(request).actor, request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/customers/:id/restore',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: CustomerDetail, ...errors(403, 404) } } },
    async (request) => vault.restore(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/:id/transactions',
    { schema: { tags: ['customers'], params: IdParams, body: TransactionBody, response: { 201: TransactionSchema, ...errors(400, 403, 404, 409) } } },
    async (request, reply) => reply.status(201).send(await vault.addTransaction(requireAuth(request).actor, request.params.id, request.body)),
  );

  app.get(
    '/api/customers/:id/transactions',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: TransactionList, ...errors(403, 404) } } },
    async (request) => vault.transactions(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/:id/contact-points',
    { schema: { tags: ['customers'], params: IdParams, body: ContactPointBody, response: { 201: ContactPointSchema, ...errors(400, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await vault.addContactPoint(requireAuth(request).actor, request.params.id, request.body)),
  );

  app.get(
    '/api/customers/:id/contact-points',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: ContactPointList, ...errors(403, 404) } } },
    async (request) => vault.contactPoints(requireAuth(request).actor, request.params.id),
  );

  app.delete(
    '/api/customers/:id/contact-points/:contactPointId',
    { schema: { tags: ['customers'], params: ContactPointParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await vault.removeContactPoint(requireAuth(request).actor, request.params.id, request.params.contactPointId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/customers/:id/notes',
    { schema: { tags: ['customers'], params: IdParams, body: NoteBody, response: { 201: NoteSchema, ...errors(400, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await vault.addNote(requireAuth(request).actor, request.params.id, request.body.body)),
  );

  app.get(
    '/api/customers/:id/notes',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: NoteList, ...errors(403, 404) } } },
    async (request) => vault.notes(requireAuth(request).actor, request.params.id),
  );

  app.delete(
    '/api/customers/:id/notes/:noteId',
    { schema: { tags: ['customers'], params: NoteParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await vault.removeNote(requireAuth(request).actor, request.params.id, request.params.noteId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/customers/:id/events',
    { schema: { tags: ['customers'], params: IdParams, querystring: EventQuery, response: { 200: EventPage, ...errors(400, 403, 404) } } },
    async (request) => vault.events(requireAuth(request).actor, request.params.id, { cursor: request.query.cursor, limit: request.query.limit ?? 50 }),
  );

  app.post(
    '/api/events',
    { bodyLimit: EVENT_BATCH_BODY_LIMIT, schema: { tags: ['customers'], body: EventBatch, response: { 200: EventBatchResult, ...errors(400, 403, 413) } } },
    async (request) => vault.ingestEvents(requireAuth(request).actor, request.body.events),
  );

  app.get(
    '/api/customers/:id',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: CustomerDetail, ...errors(403, 404) } } },
    async (request) => vault.get(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/:id/reveal',
    { schema: { tags: ['customers'], params: IdParams, body: RevealBody, response: { 200: RevealResponse, ...errors(400, 403, 404) } } },
    async (request) => vault.reveal(requireAuth(request).actor, request.params.id, request.body.fields, request.body.reason),
  );
};
