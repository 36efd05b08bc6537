import type { Access } from './access/engine.js';

/** Where a request came from; captured once per request and handed to services. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Who is acting. Services take an Actor, never a request, so the HTTP route, the CLI and
 * background jobs pass through the same checks and leave the same audit events.
 */
export type Actor =
  | (RequestOrigin & {
      kind: 'user';
      workspaceId: string;
      userId: string;
      /** The role's key: a built-in role or one of the workspace's own. */
      role: string;
      /** What the user may do, resolved once per request (role, team, break-glass, token narrowing). */
      access: Access;
      /** The break-glass grant this request acts under, if any: recorded with what it does. */
      breakGlassId: string | null;
      sessionId: string | null;
      tokenId: string | null;
      /** When this session last proved its user (password or second factor); null for tokens. */
      reauthAt: Date | null;
    })
  | (RequestOrigin & { kind: 'system'; workspaceId: string; name: string });

export function systemActor(workspaceId: string, name: string): Actor {
  return { kind: 'system', workspaceId, name, ip: null, userAgent: null };
}
