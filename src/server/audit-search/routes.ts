import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors } from '../http/schemas.js';
import { CONTENT_TYPES, type FileFormat } from './file-format.js';
import { AuditActors, AuditPage, AuditQuery, ExposureAnswer, ExposureQuery } from './schema.js';
import type { AuditFile, AuditSearch } from './service.js';

/**
 * Streams a file: its row count (and, when a bound cut it short, where the next one starts) go in
 * headers, as they are known before the first row.
 */
function sendFile(reply: FastifyReply, file: AuditFile, format: FileFormat) {
  reply.header('content-type', CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${file.fileName}"`).header('x-row-count', String(file.rows));
  if (file.nextCursor) reply.header('x-next-cursor', file.nextCursor);
  return reply.send(Readable.from(file.lines));
}

/** HTTP only: searching, exporting and breach scoping over the audit trail, for roles with `readAudit`. */
export const auditSearchRoutes: FastifyPluginAsync<RouteDeps & { search: AuditSearch }> = async (fastify, { search }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Before validation, as for admin routes: a caller who may not read the audit trail learns nothing of these routes' parameters.
  app.addHook('preValidation', async (request) => search.authorize(requireAuth(request).actor));

  app.get(
    '/api/audit',
    { schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditPage, ...errors(400, 403) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      const { format = 'json', ...input } = request.query;
      if (format === 'json') return search.search(actor, input);
      return sendFile(reply, await search.exportEvents(actor, input, format), format);
    },
  );

  app.get(
    '/api/audit/exposure',
    { schema: { tags: ['audit'], querystring: ExposureQuery, response: { 200: ExposureAnswer, ...errors(400, 403) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      const { format = 'json', ...input } = request.query;
      if (format === 'json') return search.exposure(actor, input);
      return sendFile(reply, await search.exposureFile(actor, input), format);
    },
  );

  app.get('/api/audit/actors', { schema: { tags: ['audit'], response: { 200: AuditActors, ...errors(403) } } }, async (request) => search.actors(requireAuth(request).actor));
};
