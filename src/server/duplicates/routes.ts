import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, IdParams, NoContent } from '../http/schemas.js';
import { DuplicatePage, DuplicateQuery, MergeBody, MergeList, MergeResult, ScanProgress, UnmergeResult } from './schema.js';

type Progress = { status: 'idle' | 'running' | 'completed' | 'failed'; done: number; total: number; flagged: number; startedAt: string | null; finishedAt: string | null };
const IDLE: Progress = { status: 'idle', done: 0, total: 0, flagged: 0, startedAt: null, finishedAt: null };

/**
 * Duplicate candidates, the scan over stored customers, and merges. HTTP only: every call goes
 * to the records gateway with the caller's Actor. A scan runs in the background, one per
 * workspace at a time; its progress lives in this process (a restart forgets it, and scanning
 * again is harmless: pairs are stored once).
 */
export const duplicateRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services, clock }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { vault } = services;
  const scans = new Map<string, Progress>();

  app.get(
    '/api/duplicates',
    { schema: { tags: ['duplicates'], querystring: DuplicateQuery, response: { 200: DuplicatePage, ...errors(400, 403) } } },
    async (request) => {
      const { status = 'open', cursor, limit = 20 } = request.query;
      return vault.listDuplicates(requireAuth(request).actor, { status, cursor, limit });
    },
  );

  app.post(
    '/api/duplicates/:id/dismiss',
    { schema: { tags: ['duplicates'], params: IdParams, response: { 204: NoContent, ...errors(403, 404) } } },
    async (request, reply) => {
      await vault.dismissDuplicate(requireAuth(request).actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/duplicates/scan',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['duplicates'], response: { 202: ScanProgress, ...errors(403) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      const running = scans.get(actor.workspaceId);
      if (running?.status === 'running') return reply.status(202).send(running);
      const progress: Progress = { ...IDLE, status: 'running', startedAt: clock.now().toISOString() };
      scans.set(actor.workspaceId, progress);
      vault
        .scanDuplicates(actor, (at) => Object.assign(progress, at))
        .then(() => Object.assign(progress, { status: 'completed', finishedAt: clock.now().toISOString() }))
        .catch((error: unknown) => {
          Object.assign(progress, { status: 'failed', finishedAt: clock.now().toISOString() });
          request.log.error({ err: error }, 'duplicate scan failed');
        });
      return reply.status(202).send(progress);
    },
  );

  app.get(
    '/api/duplicates/scan',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['duplicates'], response: { 200: ScanProgress, ...errors(403) } } },
    async (request) => scans.get(requireAuth(request).actor.workspaceId) ?? IDLE,
  );

  app.post(
    '/api/customers/merge',
    { schema: { tags: ['duplicates'], body: MergeBody, response: { 200: MergeResult, ...errors(400, 403, 404, 409) } } },
    async (request) => vault.merge(requireAuth(request).actor, request.body),
  );

  app.get('/api/customers/merges', { schema: { tags: ['duplicates'], response: { 200: MergeList, ...errors(403) } } }, async (request) => vault.recentMerges(requireAuth(request).actor));

  app.post(
    '/api/customers/merges/:id/undo',
    { schema: { tags: ['duplicates'], params: IdParams, response: { 200: UnmergeResult, ...errors(403, 404, 409) } } },
    async (request) => vault.unmerge(requireAuth(request).actor, request.params.id),
  );
};
