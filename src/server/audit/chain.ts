import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';

/** The hash before a workspace's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Bumped if the hashed encoding ever changes; part of every hash, so old links stay checkable. */
const CHAIN_FORMAT = 1;

/** Who and from where: stored once per distinct combination (`audit_contexts`), named by its hash. */
export interface EventContext {
  actor_type: string;
  actor_id: string | null;
  session_id: string | null;
  token_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** What: stored once per distinct combination (`audit_shapes`), named by its hash. */
export interface EventShape {
  action: string;
  object_type: string | null;
  outcome: string;
  /** The metadata when it is shared by many events; null when the event keeps its own (`ownMetadata`). */
  metadata: string | null;
}

/** An event as the chain links it: its context and shape by their ids. */
export interface ChainedEvent {
  seq: number | string;
  at: number | string;
  context: string;
  shape: string;
  object_id: string | null;
  /** The event's own metadata (lists, lookups), or null when its shape holds it. */
  metadata: string | null;
}

/** 128 bits of SHA-256, base64url: the id of a context or shape, which is the hash of its content. */
const digest = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest().subarray(0, 16).toString('base64url');

/** A context's id. Editing a stored context makes it no longer match its id. */
export const contextId = (c: EventContext): string => digest(['context', c.actor_type, c.actor_id, c.session_id, c.token_id, c.ip, c.user_agent]);
export const shapeId = (s: EventShape): string => digest(['shape', s.action, s.object_type, s.outcome, s.metadata]);

/**
 * Metadata that names customers (list pages, lookups) is the event's own; every other kind
 * repeats from event to event (a record viewed at the same levels) and lives in the shape.
 */
export function ownMetadata(metadata: string): string | null {
  return metadata.includes('"customerIds"') ? metadata : null;
}

/** A value with its length in UTF-8 bytes before it (`-` for null): no two different events encode alike. */
const field = (value: string | null) => (value === null ? '-' : `${Buffer.byteLength(value)}:${value}`);

/**
 * An event as its block's hash covers it: seq, time, context and shape ids (each the hash of
 * its content), object and own metadata. The database builds the same line when verifying
 * (verify.ts `eventLine`), so the two must stay alike.
 */
export function eventLine(event: ChainedEvent): string {
  return `${Number(event.seq)} ${Number(event.at)} ${event.context} ${event.shape} ${field(event.object_id)} ${field(event.metadata)}`;
}

/**
 * The chain hashes blocks: the events one transaction appended (a change's events, a group
 * commit's reads). A block's hash is SHA-256 over the chain's number, the previous block's
 * hash and the line of every event of the block, and is stored on the block's last event.
 * Editing, inserting, deleting or reordering an event, or editing the context or shape it
 * names, breaks the chain at its block. One hash per block rather than per event is what keeps
 * verification fast.
 */
export function blockHash(previous: Buffer, chain: number, lines: readonly string[]): Buffer {
  return createHash('sha256')
    .update(`custos-audit/${CHAIN_FORMAT}/${chain}/${previous.toString('hex')}\n${lines.join('\n')}`)
    .digest();
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
