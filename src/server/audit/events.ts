/**
 * Every kind of event the audit trail holds, with the metadata each carries. Metadata never
 * holds a personal value in clear: ids, counts, field keys and reasons only. An event caused
 * under break-glass also carries `breakGlassId`, whatever its kind.
 */
export interface AuditEventMetadata {
  'auth.sign_in': { method: 'password' | 'password+totp' | 'password+recovery_code' };
  'auth.sign_in_failed': { reason: 'unknown_user' | 'bad_password' | 'bad_mfa_code' | 'deactivated' | 'locked' | 'throttled' };
  'auth.locked_out': { until: string; scope: 'account' | 'ip' };
  'auth.sign_out': { reason: 'user' | 'everywhere' | 'ended_by_user' };
  'auth.reauth': { method: 'password' | 'totp' | 'recovery_code' };
  'auth.reauth_failed': Record<string, never>;
  'auth.csrf_rejected': { method: string };
  'account.password_changed': Record<string, never>;
  'account.email_changed': Record<string, never>;
  'account.profile_updated': { fields: string[] };
  'mfa.totp_setup_started': Record<string, never>;
  'mfa.totp_enabled': Record<string, never>;
  'mfa.totp_disabled': Record<string, never>;
  'mfa.recovery_codes_regenerated': Record<string, never>;
  'mfa.recovery_code_used': { remaining: number };
  /** With what the token was cut down to (null: its owner's permissions). */
  'token.created': { name: string; expiresAt: string; narrowing: { readOnly?: boolean; objects?: string[]; fields?: string[] } | null };
  'token.revoked': Record<string, never>;
  'workspace.created': Record<string, never>;
  'workspace.settings_changed': { changes: Record<string, unknown> };
  'user.created': { role: string; via: 'setup' | 'invitation' | 'cli' };
  'user.role_changed': { from: string; to: string };
  'user.deactivated': { sessionsEnded: number; tokensRevoked: number };
  'user.reactivated': Record<string, never>;
  'invitation.created': { role: string; expiresAt: string };
  'invitation.revoked': Record<string, never>;
  'invitation.accepted': { userId: string };
  'access.denied': { code: string; route: string };
  'customer.created': { kind: string; fields: string[] };
  /** Which fields were shown, at which level: who saw what, for breach scoping. */
  'customer.viewed': { fields: Record<string, 'clear' | 'masked' | 'hidden'> };
  /** Which customers a list page showed (their fields at the levels of customer.viewed), and the shape of its query (field keys and operators, never values). */
  'customer.listed': {
    customerIds: string[];
    /** The highest level each field was shown at on the page (absent from events recorded before it was added). */
    fields?: Record<string, 'clear' | 'masked' | 'hidden'>;
    query?: { search: 'email' | 'nationalId' | 'phone' | 'text' | null; kind: string | null; filters: string[]; sort: string };
  };
  /** The shape of a lookup, never the value looked for. */
  'customer.looked_up': { field: string; matches: number; customerIds: string[] };
  /** Like every event of an actor under break-glass, it carries the grant's `breakGlassId` (added by the audit service). */
  'customer.revealed': { fields: string[]; reason: string };
  'customer.updated': { fields: string[] };
  /** A customer handed to another owner and owning team (who reaches the record follows them). */
  'customer.owner_changed': { from: string | null; to: string; fromTeam: string | null; toTeam: string | null };
  /** The retention job cleared these fields of a customer not updated for their retention period. */
  'customer.retention_cleared': { fields: string[]; retentionDays: number };
  /** `custos audit verify` ran: how many events it checked, and the first problem's place and kind. */
  'audit.verified': { events: number; problem: { seq: number; kind: string } | null };
  'audit.checkpoints_exported': { count: number };
  /** Events past the workspace's retention period dropped, up to the checkpoint at `throughSeq` (kept). */
  'audit.pruned': { events: number; throughSeq: number; retentionDays: number };
  'keys.rotated': { purpose: 'data'; version: number };
  'keys.rewrapped': { rewrapped: number; toVersion: number; retiredBelow: number | null };
  /** A rewrap began: how many customer keys were still under an older data key. */
  'keys.rewrap_started': { toVersion: number; pending: number };
  'keys.rewrap_cancelled': { rewrapped: number; toVersion: number };
  'keys.rewrap_failed': { rewrapped: number; toVersion: number };
  'customer.deleted': Record<string, never>;
  'customer.restored': Record<string, never>;
  /** Two customers made one: the survivor is the event's object; which side each field came from (keys only, never values). */
  'customer.merged': { customerIds: string[]; survivorId: string; mergedId: string; mergeId: string; fields: Record<string, 'survivor' | 'merged'> };
  'customer.unmerged': { customerIds: string[]; survivorId: string; mergedId: string; mergeId: string };
  /** Duplicate candidates a page showed (both customers of each pair). */
  'duplicates.listed': { customerIds: string[]; count: number };
  'duplicate.dismissed': { customerIds: string[] };
  'duplicates.scanned': { customers: number; flagged: number };
  /** Erased for good (subject key destroyed): on request, with the reason, or by the purge after 30 days. */
  'customer.erased': { reason: string };
  'transaction.created': { customerId: string; status: string };
  'events.ingested': { accepted: number; rejected: number; types: string[] };
  'customer.activity_viewed': { what: 'transactions' | 'events' | 'notes' | 'contact_points' | 'addresses' | 'cases'; count: number };
  'case.opened': { customerId: string };
  'case.closed': { customerId: string };
  'note.created': { customerId: string };
  'contact_point.added': { customerId: string; type: string };
  'contact_point.removed': { customerId: string; type: string };
  'contact_point.made_primary': { customerId: string; type: string };
  /** Postal addresses: which parts changed and whether the primary one (the customer's `address` field) did; never the address. */
  'address.added': { customerId: string; type: string; primary: boolean };
  'address.updated': { customerId: string; fields: string[]; primary: boolean };
  'address.removed': { customerId: string; primary: boolean };
  'field.created': { kind: string; key: string; type: string; sensitivity: string };
  'field.updated': { kind: string; key: string; changes: string[] };
  /** Roles and teams (issue #4): which permissions changed, as keys (e.g. objects.customers.read), never a dump. */
  'role.created': { key: string };
  'role.updated': { key: string; changes: string[] };
  'role.deleted': { key: string };
  /** A built-in role back to its defaults. */
  'role.reset': { key: string };
  'team.created': { parentId: string | null };
  'team.updated': { changes: string[] };
  'team.deleted': Record<string, never>;
  'user.team_changed': { teamId: string | null };
  /** Time-boxed elevated access an administrator gave themself, with the reason the other administrators were told. */
  'break_glass.started': { reason: string; minutes: number };
  /** Ended by its holder (early) or by time. */
  'break_glass.ended': { early: boolean };
  /** A field's class changed, every stored value re-encrypted (or decrypted) with it: the stated reason and how many customers had one. */
  'field.reclassified': { kind: string; key: string; from: string; to: string; reason: string; customers: number };
  'note.deleted': { customerId: string };
  /** Saved list views: whether everyone in the workspace sees it; never its search or filter values. */
  'view.created': { shared: boolean };
  'view.updated': { changes: string[]; shared: boolean };
  'view.deleted': { ownerId: string; shared: boolean };
  /** The audit trail searched: which filters were used (names, never their values) and how many events the page held. */
  'audit.searched': { filters: string[]; page: boolean; results: number };
  /** Audit events, or a breach-scoping answer, downloaded as a file: its format, the rows that left, whether a bound cut it short. */
  'audit.exported': { what: 'events' | 'exposure'; format: 'ndjson' | 'csv'; rows: number; filters: string[]; truncated: boolean };
  /** Breach scoping: which customers a user or token saw, or who saw a customer (the one asked about is the event's object). */
  'audit.exposure_queried': { by: 'actor' | 'customer'; filters: string[]; results: number };
  /**
   * Customers exported (issue 7): how many rows left; never their values. The mass-export rule counts `rows`. An export
   * job records one event per page of at most 500 rows (gateway/export.ts), each linking its customers: the export
   * job's id, the file's format, the field keys exported, the query's shape (keys and operators, never values), the reason.
   */
  'customers.exported': {
    rows: number;
    exportId?: string;
    format?: string;
    fields?: string[];
    filters?: { search: string | null; kind: string | null; filters: string[]; sort: string };
    reason?: string;
    customerIds?: string[];
  };
  /** An export's file downloaded by its creator (the export's pages were recorded as `customers.exported`). The object is the export job. */
  'customers.export_downloaded': { format: string; rows: number; bytes: number };
  /** A file uploaded to import (its size and detected format; never its name's directories or its content). The object is the import job. */
  'import.uploaded': { bytes: number; format: string };
  /** An import (or its dry run) started or resumed: the options and the field keys its columns fill. */
  'import.started': { dryRun: boolean; kind: string; matchBy: string; onMatch: string; fields: string[]; resumedAt: number };
  /** One committed batch of an import: the customers it created or changed (ids only), with the batch's counts. */
  'customers.imported': { jobId: string; rows: number; created: number; updated: number; unchanged: number; rejected: number; duplicates: number; customerIds: string[] };
  /** An import ended (completed, cancelled or failed), with its counts. */
  'import.finished': { status: string; dryRun: boolean; rows: number; imported: number; updated: number; unchanged: number; rejected: number; duplicates: number };
  /** The rejected rows of an import downloaded (they hold the file's original cells). */
  'import.errors_downloaded': { rows: number };
  /**
   * The data-quality report computed (issue 7; the object is the workspace): counts only — customers read, field rows,
   * invalid values, stale customers, open duplicate candidates; `completed` false when it was cancelled or failed.
   */
  'customers.quality_report': { staleMonths: number; customers: number; completed: boolean; fields: number; invalid: number; stale: number; duplicateCandidates: number };
  /**
   * A detection rule (alerts/rules.ts) found a pattern in the trail: whose activity (user and, for a token
   * rule, token), how much of it, and the chain positions of the events it counted.
   */
  'alert.raised': { rule: string; severity: string; userId: string | null; tokenId: string | null; count: number; threshold: number | null; firstSeq: number; lastSeq: number };
  'alert.acknowledged': { rule: string };
  'alert.resolved': { rule: string };
  /** The rule's automatic response to an alert, and what came of it (`skipped_last_owner`: the workspace's last active owner is never acted on). */
  'alert.action_taken': { rule: string; action: string; userId: string | null; tokenId: string | null; result: string; sessionsEnded: number; tokensRevoked: number };
  /** Detection rules changed: which settings, as `rule.setting` keys. */
  'alert.rules_changed': { changes: string[] };
  /** A customer's field history read: the fields whose old or new values it showed, at their levels, and how many entries. */
  'customer.history_viewed': { fields: Record<string, 'clear' | 'masked'>; count: number };
  /** An encrypted backup of the installation (issue 6), recorded in every workspace: its file name (no directories), sizes, counts and duration. */
  'backup.created': { file: string; dialect: string; schemaVersion: string | null; bytes: number; imageBytes: number; passes: number; tables: number; rows: number; seconds: number };
  /** A backup restored into a temporary database and checked: how long the restore took, and the problem found (its code and chunk). */
  'backup.verified': { file: string; createdAt: string | null; rows: number; restoreSeconds: number | null; seconds: number; problem: { code: string; chunk: number | null } | null };
  /** This installation was restored from a backup made at `createdAt`; erasures recorded since in the old one, re-applied. */
  'backup.restored': { file: string; createdAt: string; schemaVersion: string | null; rows: number; seconds: number; erasuresReapplied: number };
  /** A customer's field values set back to what a backup made at `backupCreatedAt` held (undoing a bad edit): the keys of the fields that changed. */
  'customer.recovered': { backupCreatedAt: string; fields: string[] };
  /** A backup run of the server's (backup/schedule.ts) failed: which run, how it was started, and the error's code (never a path). */
  'backup.failed': { runId: string; trigger: string; errorCode: string };
  /** The installation's backup schedule changed (recorded in the workspace of who changed it). */
  'backup.schedule_changed': { enabled: boolean; timeOfDay: string };
}

export type AuditAction = keyof AuditEventMetadata;
export type AuditOutcome = 'success' | 'failure' | 'denied';
