import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAuth } from '../http/authenticate.js';
import type { RouteDeps } from '../http/route-deps.js';
import { errors } from '../http/schemas.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { MAX_RECOVER_BATCH } from '../vault/gateway.js';
import { recoverFromBackup } from './recover.js';

const RecoverBody = Type.Object(
  {
    /** A file name within the backup folder: never a path. */
    file: Type.String({ minLength: 1, maxLength: 255 }),
    customerIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_RECOVER_BATCH }),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const RecoverResponse = Type.Object({
  backupCreatedAt: Type.String(),
  dryRun: Type.Boolean(),
  /** Per customer, the keys of the fields that differ from the backup (set back unless a dry run); never their values. */
  customers: Type.Array(Type.Object({ id: Type.String(), fields: Type.Array(Type.String()) })),
});

/**
 * Single-customer recovery (issue 6, item 5): set customers back to what a backup of the
 * backup folder held. Settings administrators only, and only customers their role may update.
 */
export const backupRecoveryRoutes: FastifyPluginAsync<RouteDeps & { keys: KeyProvider; backupDir: string; databaseUrl: string | null }> = async (fastify, { services, keys, backupDir, databaseUrl }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/admin/backups/recover',
    { config: { auth: { capability: 'manageSettings' } }, schema: { tags: ['admin'], body: RecoverBody, response: { 200: RecoverResponse, ...errors(400, 403, 404, 409) } } },
    async (request) => {
      const { file, customerIds, dryRun } = request.body;
      return recoverFromBackup({ vault: services.vault, keys, databaseUrl }, requireAuth(request).actor, { folder: backupDir, name: file }, customerIds, { dryRun });
    },
  );
};
