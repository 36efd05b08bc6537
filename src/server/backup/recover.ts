import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../actor.js';
import { authorizeCapability } from '../auth/context.js';
import { migrateToLatest } from '../db/database.js';
import { badRequest, notFound } from '../http/errors.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { authorizeCustomers } from '../vault/policy.js';
import type { RecoveredCustomer, VaultGateway } from '../vault/gateway.js';
import { BackupError } from './backup.js';
import { BackupFormatError } from './format.js';
import { restoreToTemporary } from './verify.js';

/**
 * A backup named by its file name within the backup folder: never a path, so a request cannot
 * make the server decrypt (or probe for) any other file it can read.
 */
export function backupFileIn(folder: string, name: string): string {
  if (name !== path.basename(name) || name === '.' || name === '..' || name.includes('\\') || name.includes('\0')) {
    throw badRequest('invalid_backup_file', 'Name a backup file of the backup folder, without directories.', 'file');
  }
  const file = path.join(folder, name);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw notFound('backup_not_found', 'There is no such backup file.');
  return file;
}

export interface RecoveryReport {
  /** When the backup was made. */
  backupCreatedAt: string;
  dryRun: boolean;
  customers: RecoveredCustomer[];
}

/**
 * Sets customers back to what a backup held (vault/gateway/recovery.ts): the backup is restored
 * into a temporary database (verify.ts), brought to this version's schema, read with a keyring
 * of its own over the same master key, and removed whatever the outcome. The caller's
 * capability and customer scope are checked before the backup is decrypted: that is the costly part.
 */
export async function recoverFromBackup(
  deps: { vault: Pick<VaultGateway, 'recoverCustomers'>; keys: KeyProvider; databaseUrl: string | null },
  actor: Actor,
  /** A path (the CLI: the operator names any file), or a file name within the backup folder (the API). */
  file: { path: string } | { folder: string; name: string },
  customerIds: readonly string[],
  options: { dryRun?: boolean } = {},
): Promise<RecoveryReport> {
  authorizeCapability(actor, 'manageSettings');
  authorizeCustomers(actor, 'update');
  const located = 'path' in file ? file.path : backupFileIn(file.folder, file.name);
  const copy = await restoreToTemporary(located, deps.keys, { databaseUrl: deps.databaseUrl }).catch((error: unknown) => {
    // The file's own problem (not a backup, damaged, another master key): said without its path.
    if (error instanceof BackupFormatError) throw badRequest('backup_unreadable', `This backup cannot be read (${error.problem}).`, 'file');
    if (error instanceof BackupError) throw badRequest('backup_unreadable', 'This backup cannot be restored here.', 'file');
    throw error;
  });
  try {
    await migrateToLatest(copy.database.db);
    const source = { db: copy.database.db, keys: deps.keys, createdAt: copy.manifest.createdAt };
    const customers = await deps.vault.recoverCustomers(actor, source, customerIds, options);
    return { backupCreatedAt: copy.manifest.createdAt, dryRun: Boolean(options.dryRun), customers };
  } finally {
    await copy.remove();
  }
}
