import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import { AddressBody, AddressChangesBody, AddressList, AddressParams, AddressSchema, PreferencesSchema } from './address-schema.js';
import { ContactPointList, ContactPointParams } from './schema.js';

/** HTTP only: a customer's addresses, contact preferences and primary contact points, through the records gateway. */
export const addressRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;

  app.get(
    '/api/customers/:id/addresses',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: AddressList, ...errors(403, 404) } } },
    async (request) => vault.addresses(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/:id/addresses',
    { schema: { tags: ['customers'], params: IdParams, body: AddressBody, response: { 201: AddressSchema, ...errors(400, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await vault.addAddress(requireAuth(request).actor, request.params.id, request.body)),
  );

  app.patch(
    '/api/customers/:id/addresses/:addressId',
    { schema: { tags: ['customers'], params: AddressParams, body: AddressChangesBody, response: { 200: AddressSchema, ...errors(400, 403, 404) } } },
    async (request) => vault.updateAddress(requireAuth(request).actor, request.params.id, request.params.addressId, request.body),
  );

  app.delete(
    '/api/customers/:id/addresses/:addressId',
    { schema: { tags: ['customers'], params: AddressParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await vault.removeAddress(requireAuth(request).actor, request.params.id, request.params.addressId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/customers/:id/preferences',
    { schema: { tags: ['customers'], params: IdParams, response: { 200: PreferencesSchema, ...errors(403, 404) } } },
    async (request) => vault.preferences(requireAuth(request).actor, request.params.id),
  );

  app.put(
    '/api/customers/:id/preferences',
    { schema: { tags: ['customers'], params: IdParams, body: PreferencesSchema, response: { 200: PreferencesSchema, ...errors(400, 403, 404) } } },
    async (request) => vault.setPreferences(requireAuth(request).actor, request.params.id, request.body),
  );

  app.post(
    '/api/customers/:id/contact-points/:contactPointId/primary',
    { schema: { tags: ['customers'], params: ContactPointParams, response: { 200: ContactPointList, ...errors(403, 404, 409) } } },
    async (request) => vault.makeContactPointPrimary(requireAuth(request).actor, request.params.id, request.params.contactPointId),
  );
};
