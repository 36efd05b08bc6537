/**
 * The shapes of the audit API's answers (issue #5), shared by the server that builds them and
 * the web page that shows them.
 */

/** How much of a field was seen, lowest first. */
export const EXPOSURE_LEVELS = ['masked', 'clear', 'revealed'] as const;
export type ExposureLevel = (typeof EXPOSURE_LEVELS)[number];

/** Who did it: a user (named), a system job (its name), or someone not signed in (the account tried). */
export interface AuditActor {
  type: string;
  id: string | null;
  name: string | null;
  email: string | null;
}

export interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  actor: AuditActor;
  sessionId: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  object: { type: string; id: string } | null;
  outcome: string;
  /** Ids, counts, field keys and reasons — never a personal value. */
  metadata: Record<string, unknown>;
}

/** What one subject (a customer, or an actor) saw or was seen: when, how often, which fields at which level. */
export interface Seen {
  firstSeen: string;
  lastSeen: string;
  events: number;
  /** The highest level each field was shown at. */
  fields: Record<string, ExposureLevel>;
  /** Records beside the fields (notes, transactions…), or `exported`. */
  activity: string[];
  tokenIds: string[];
}

/** Breach scoping: the customers an actor saw, or the actors who saw a customer. */
export interface ExposureAnswer {
  customers?: (Seen & { customerId: string })[];
  totalCustomers?: number;
  actors?: (Seen & { actor: AuditActor })[];
  totalActors?: number;
  /** Asked about an actor: their exports whose events do not name the customers (only how many rows). */
  unnamedExports?: { events: number; rows: number };
  events: number;
  days: { day: string; events: number }[];
}
