import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors } from '../http/schemas.js';
import { Estimate, EstimateQuery, ExportJobSchema, ExportParams, NewExportBody } from './schema.js';
import type { HeaderLanguage } from './service.js';

/** The file's header row speaks the requester's language: Chinese labels for zh, else English. */
const headerLanguage = (acceptLanguage: string | undefined): HeaderLanguage => (/^\s*zh\b/i.test(acceptLanguage ?? '') ? 'zh-CN' : 'en');

/** HTTP only: customer exports as jobs (exports/service.ts), for roles with the customers `export` action. */
export const exportRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { exports } = services;

  app.get(
    '/api/customers/exports/estimate',
    { schema: { tags: ['customers'], querystring: EstimateQuery, response: { 200: Estimate, ...errors(400, 403) } } },
    async (request) => {
      const { q, kind, filter, sort, column } = request.query;
      return exports.estimate(requireAuth(request).actor, { q, kind, filters: filter, sort, columns: column });
    },
  );

  app.post(
    '/api/customers/exports',
    { schema: { tags: ['customers'], body: NewExportBody, response: { 202: ExportJobSchema, ...errors(400, 403) } } },
    async (request, reply) => {
      const { format, language, ...query } = request.body;
      return reply.status(202).send(await exports.start(requireAuth(request).actor, { ...query, format }, language ?? headerLanguage(request.headers['accept-language'])));
    },
  );

  app.get('/api/customers/exports/:id', { schema: { tags: ['customers'], params: ExportParams, response: { 200: ExportJobSchema, ...errors(403, 404) } } }, async (request) =>
    exports.get(requireAuth(request).actor, request.params.id),
  );

  app.post(
    '/api/customers/exports/:id/cancel',
    { schema: { tags: ['customers'], params: ExportParams, response: { 200: ExportJobSchema, ...errors(403, 404, 409) } } },
    async (request) => exports.cancel(requireAuth(request).actor, request.params.id),
  );

  app.get('/api/customers/exports/:id/file', { schema: { tags: ['customers'], params: ExportParams, response: { 200: Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: 'The CSV or XLSX file.' }), ...errors(403, 404, 409, 410) } } }, async (request, reply) => {
    const file = await exports.file(requireAuth(request).actor, request.params.id);
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('x-row-count', String(file.rows))
      .send(file.body);
  });
};
