import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';

/** The hash before a workspace's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Bumped if the hashed encoding ever changes; part of every hash, so old links stay checkable. */
const CHAIN_FORMAT = 1;

/** The columns of an audit event the chain covers: all of them but the hash itself. */
export interface ChainedEvent {
  workspace_id: string;
  seq: number | string;
  id: string;
  at: number | string;
  actor_type: string;
  actor_id: string | null;
  session_id: string | null;
  token_id: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  metadata: string;
}

/**
 * One link of a workspace's hash chain: SHA-256 over the previous event's hash and this event's
 * columns, as JSON (so no two different events encode alike). Editing, inserting, deleting or
 * reordering an event changes every hash from there on. Numbers come back from PostgreSQL as
 * strings: they are hashed as numbers.
 */
export function linkHash(previous: Buffer, event: ChainedEvent): Buffer {
  const encoded = JSON.stringify([
    CHAIN_FORMAT,
    event.workspace_id,
    Number(event.seq),
    event.id,
    Number(event.at),
    event.actor_type,
    event.actor_id,
    event.session_id,
    event.token_id,
    event.ip,
    event.user_agent,
    event.action,
    event.object_type,
    event.object_id,
    event.outcome,
    event.metadata,
  ]);
  return createHash('sha256').update(previous).update(encoded).digest();
}

/** A checkpoint as exported to be kept elsewhere (one JSON line each). */
export interface Checkpoint {
  workspaceId: string;
  seq: number;
  /** The chain's hash at `seq`, hex. */
  hash: string;
  at: string;
  keyFingerprint: string;
  signature: string;
}

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(checkpoint: Pick<Checkpoint, 'workspaceId' | 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`custos-audit-checkpoint/1\n${checkpoint.workspaceId}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}`);
}

/** Names a public key in 16 hex digits: which key signed a checkpoint. */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
}

export function checkpointSignedBy(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyFingerprint !== keyFingerprint(publicKey)) return false;
  return verifySignature(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
}

export function checkpointFromRow(row: { workspace_id: string; seq: number | string; hash: Buffer; at: number | string; key_fingerprint: string; signature: Buffer }): Checkpoint {
  return {
    workspaceId: row.workspace_id,
    seq: Number(row.seq),
    hash: row.hash.toString('hex'),
    at: new Date(Number(row.at)).toISOString(),
    keyFingerprint: row.key_fingerprint,
    signature: row.signature.toString('base64'),
  };
}
