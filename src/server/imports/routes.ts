import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import { AppError } from '../http/errors.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams } from '../http/schemas.js';
import { ImportJobSchema, ImportList, StartBody, UploadQuery } from './schema.js';
import { MAX_UPLOAD_BYTES } from './service.js';

/** HTTP only: customer imports as jobs (imports/service.ts), for roles with the customers `import` action. */
export const importRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { imports } = services;

  // The file is the request's body, streamed to disk as it arrives (never whole in memory).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/imports',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['imports'],
        querystring: UploadQuery,
        consumes: ['application/octet-stream'],
        response: { 201: ImportJobSchema, ...errors(400, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = requireAuth(request).actor;
      // Who may not import learns nothing more about the endpoint than that.
      services.vault.authorizeImport(actor);
      if (request.headers['content-type'] !== 'application/octet-stream') {
        throw new AppError(415, 'unsupported_media_type', 'Send the file as the body, with Content-Type: application/octet-stream.');
      }
      return reply.status(201).send(await imports.upload(actor, request.query.name, request.body as AsyncIterable<Uint8Array>));
    },
  );

  app.get('/api/imports', { schema: { tags: ['imports'], response: { 200: ImportList, ...errors(403) } } }, async (request) => ({ items: await imports.list(requireAuth(request).actor) }));

  app.get('/api/imports/:id', { schema: { tags: ['imports'], params: IdParams, response: { 200: ImportJobSchema, ...errors(403, 404) } } }, async (request) =>
    imports.get(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/imports/:id/start',
    { schema: { tags: ['imports'], params: IdParams, body: StartBody, response: { 202: ImportJobSchema, ...errors(400, 403, 404, 409) } } },
    async (request, reply) => reply.status(202).send(await imports.start(requireAuth(request).actor, request.params.id, request.body)),
  );

  app.post('/api/imports/:id/cancel', { schema: { tags: ['imports'], params: IdParams, response: { 200: ImportJobSchema, ...errors(403, 404, 409) } } }, async (request) =>
    imports.cancel(requireAuth(request).actor, request.params.id),
  );

  app.post('/api/imports/:id/resume', { schema: { tags: ['imports'], params: IdParams, response: { 200: ImportJobSchema, ...errors(403, 404, 409) } } }, async (request) =>
    imports.resume(requireAuth(request).actor, request.params.id),
  );

  app.get(
    '/api/imports/:id/errors',
    { schema: { tags: ['imports'], params: IdParams, response: { 200: Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: 'CSV (UTF-8 with BOM): the file’s columns, then row and reasons.' }), ...errors(403, 404) } } },
    async (request, reply) => {
      const file = await imports.errors(requireAuth(request).actor, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-row-count', String(file.rows))
        .send(Readable.from(file.lines));
    },
  );
};
