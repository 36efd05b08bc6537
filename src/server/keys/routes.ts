import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import { conflict } from '../http/errors.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors, Nullable, NullableTime, StringEnum, Time } from '../http/schemas.js';
import { createRewrapJobs } from './rewrap-job.js';

const KeyVersion = Type.Object({
  purpose: Type.String({ description: '"data" wraps customer keys; "index" derives the blind-index keys' }),
  version: Type.Integer(),
  /** Which master key wraps this version (never the key itself). */
  masterKeyId: Type.String(),
  createdAt: Time,
  retiredAt: NullableTime,
  /** How many customer keys this data-key version wraps; null for the index key. */
  subjectKeys: Nullable<number>({ type: 'integer' }),
});

const RewrapStatusSchema = Type.Object({
  state: StringEnum(['idle', 'running', 'done', 'failed', 'cancelled'] as const),
  done: Type.Integer(),
  total: Type.Integer(),
  /** Customer keys per second. */
  rate: Type.Number(),
  /** Seconds left at that rate; null while unknown. */
  eta: Nullable<number>({ type: 'number' }),
  startedAt: NullableTime,
  finishedAt: NullableTime,
  error: Type.Optional(Type.String()),
});

const KeysOverview = Type.Object({ keys: Type.Array(KeyVersion), rewrap: RewrapStatusSchema });

/**
 * `custos keys status/rotate/rewrap` for the web app's admin page. The rewrap runs in the
 * background of this server, one per workspace; its progress is polled with GET.
 */
export const keyRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services, clock }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { keyRotation } = services;
  const admin = { auth: { capability: 'manageSettings' } } as const;
  const jobs = createRewrapJobs({
    keyRotation,
    clock,
    // The error's name only: a driver's message can quote the values it choked on.
    onFailure: (error) => fastify.log.error({ errType: error instanceof Error ? error.name : typeof error }, 'key rewrap failed'),
  });
  // preClose: before the onClose hooks, one of which closes the database the batch is writing to.
  fastify.addHook('preClose', () => jobs.stopAll());

  // The job's state first, then the keys: a rewrap seen finished is one whose retirement the keys show.
  const overview = async (workspaceId: string) => {
    const rewrap = jobs.status(workspaceId);
    return { keys: await keyRotation.status(workspaceId), rewrap };
  };

  app.get('/api/admin/keys', { config: admin, schema: { tags: ['admin'], response: { 200: KeysOverview, ...errors(403) } } }, async (request) =>
    overview(requireAuth(request).actor.workspaceId),
  );

  app.post(
    '/api/admin/keys/rotate',
    { config: admin, schema: { tags: ['admin'], description: 'Makes a new data-key version; new customer keys are wrapped with it at once.', response: { 200: KeysOverview, ...errors(403, 409) } } },
    async (request) => {
      const { actor } = requireAuth(request);
      // A rotation under a running rewrap would leave that rewrap aiming at the wrong version.
      if (jobs.isRunning(actor.workspaceId)) throw conflict('rewrap_running', 'Wait for the rewrap to finish (or cancel it) before rotating again.');
      await keyRotation.rotate(actor);
      return overview(actor.workspaceId);
    },
  );

  app.post(
    '/api/admin/keys/rewrap',
    { config: admin, schema: { tags: ['admin'], description: 'Starts moving customer keys to the current data key, in the background.', response: { 202: KeysOverview, ...errors(403, 409) } } },
    async (request, reply) => {
      const { actor } = requireAuth(request);
      jobs.start(actor);
      return reply.status(202).send(await overview(actor.workspaceId));
    },
  );

  app.delete(
    '/api/admin/keys/rewrap',
    { config: admin, schema: { tags: ['admin'], description: 'Stops the running rewrap after its current batch; starting it again resumes.', response: { 200: KeysOverview, ...errors(403, 409) } } },
    async (request) => {
      const { workspaceId } = requireAuth(request).actor;
      await jobs.cancel(workspaceId);
      return overview(workspaceId);
    },
  );
};
