import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { pingDatabase } from '../db/database.js';

export const healthRoutes: FastifyPluginAsync<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public', rateLimit: false },
      schema: { hide: true } as object,
    },
    async (_request, reply) => {
      try {
        await pingDatabase(db);
        return { status: 'ok' };
      } catch {
        return reply.status(503).send({ status: 'unavailable' });
      }
    },
  );
};
