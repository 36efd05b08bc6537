import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { Body, errors, IdParams, Nullable, NullableString, NullableTime, StringEnum, Time } from '../http/schemas.js';

const Progress = Type.Object({
  phase: StringEnum(['snapshot', 'encrypt', 'dump', 'restore', 'check', 'copy', 'prune'] as const),
  bytes: Type.Integer(),
  /** Unknown while PostgreSQL's dump streams, and while copying or pruning. */
  totalBytes: Nullable<number>({ type: 'integer' }),
});

const Run = Type.Object({
  id: Type.String(),
  trigger: StringEnum(['scheduled', 'manual'] as const),
  status: StringEnum(['running', 'succeeded', 'failed'] as const),
  startedAt: Time,
  finishedAt: NullableTime,
  /** The file's name in the backup folder. */
  file: NullableString,
  bytes: Nullable<number>({ type: 'integer' }),
  verifyStatus: StringEnum(['pending', 'verified', 'failed'] as const),
  errorCode: NullableString,
  progress: Type.Union([Progress, Type.Null()]),
});

const Schedule = Type.Object({
  enabled: Type.Boolean(),
  /** `HH:MM`, the server's time. */
  timeOfDay: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5 }),
});

const Overview = Type.Object({
  schedule: Schedule,
  destination: Type.Object({ folder: Type.String(), copyFolder: NullableString }),
  lastSuccess: Type.Union([Run, Type.Null()]),
  nextRun: NullableTime,
  /** Enabled, and no backup succeeded for 26 hours. */
  overdue: Type.Boolean(),
  /** The run going on in this server, if any. */
  running: NullableString,
  runs: Type.Array(Run),
});

/**
 * The server's backups for the Admin → Backups page (issue #6): the schedule (the
 * installation's one: a backup holds every workspace), the runs, and "back up now", whose
 * progress is polled with GET …/runs/:id. For anyone who may change settings.
 */
export const backupRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { services }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { backupSchedule } = services;
  const admin = { auth: { capability: 'manageSettings' } } as const;
  // A run writing while the database closes would fail half-way: let it end first.
  fastify.addHook('preClose', () => backupSchedule.idle());

  app.get('/api/admin/backups', { config: admin, schema: { tags: ['admin'], response: { 200: Overview, ...errors(403) } } }, async (request) => {
    requireAuth(request);
    return backupSchedule.status();
  });

  app.put(
    '/api/admin/backups/schedule',
    { config: admin, schema: { tags: ['admin'], body: Body(Schedule.properties), response: { 200: Schedule, ...errors(400, 403) } } },
    async (request) => backupSchedule.setSchedule(requireAuth(request).actor, request.body),
  );

  app.post(
    '/api/admin/backups',
    { config: admin, schema: { tags: ['admin'], description: 'Starts a backup now, in the background; poll the run for its progress.', response: { 202: Type.Object({ id: Type.String() }), ...errors(403, 409) } } },
    async (request, reply) => reply.status(202).send({ id: await backupSchedule.startNow(requireAuth(request).actor) }),
  );

  app.get('/api/admin/backups/runs/:id', { config: admin, schema: { tags: ['admin'], params: IdParams, response: { 200: Run, ...errors(403, 404) } } }, async (request) => {
    requireAuth(request);
    return backupSchedule.run(request.params.id);
  });
};
