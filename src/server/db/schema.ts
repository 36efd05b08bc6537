import type { ColumnType, Generated } from 'kysely';

/** A nullable column a row may leave out when it is inserted (it starts null). */
type NullableOnInsert<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * The tables as Kysely sees them. Times are epoch milliseconds (bigint), booleans 0/1,
 * JSON as text — see mapping.ts, the one place that converts them.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  require_mfa: number;
  /** Region phone numbers without a country code are read in. */
  phone_region: Generated<string>;
  /** How long the audit trail is kept (issue #5); pruning stops at a signed checkpoint. */
  audit_retention_days: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  workspace_id: string;
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: string;
  status: string;
  locale: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  last_sign_in_at: number | null;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
  /** The team the user belongs to (their "team" records and, below it, their sub-teams'). */
  team_id: NullableOnInsert<string>;
}

export interface RecoveryCodesTable {
  workspace_id: string;
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export interface SessionsTable {
  workspace_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  reauth_at: number;
  ip: string | null;
  user_agent: string | null;
  ended_at: number | null;
  end_reason: string | null;
}

export interface ApiTokensTable {
  workspace_id: string;
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
  /** JSON TokenNarrowing: what the token is cut down to (null: its owner's permissions). */
  narrowing: NullableOnInsert<string>;
}

export interface InvitationsTable {
  workspace_id: string;
  id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_user_id: string | null;
  revoked_at: number | null;
}

export interface ThrottleBucketsTable {
  /** `*` for installation-wide buckets (per IP, per sign-in address), otherwise the workspace. */
  workspace_id: string;
  bucket: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
}

export interface AuditEventsTable {
  workspace_id: string;
  /** The event's place in its workspace's hash chain (PostgreSQL returns it as a string). A view: see AuditLogTable. */
  seq: number | string;
  id: string;
  at: number;
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
  metadata: Generated<string>;
  /** Its block's hash when it ends a block (audit/chain.ts), else null. */
  hash: Buffer | null;
}

/** Each workspace's chain: its number, last seq and hash; locked by the transaction that appends. */
export interface AuditHeadsTable {
  workspace_id: string;
  chain: number;
  seq: number | string;
  hash: Buffer;
}

/** The events as stored (`audit_events` is the view that joins them whole); written by the audit service only. */
export interface AuditLogTable {
  chain: number;
  seq: number | string;
  at: number | string;
  /** Ids (hashes) of the event's row in `audit_contexts` and `audit_shapes`. */
  context: string;
  shape: string;
  object_id: string | null;
  /** The event's own metadata (lists, lookups); null when the shape holds it. */
  metadata: string | null;
  /** The block's hash, on the last event of each block (audit/chain.ts); null on the others. */
  hash: Buffer | null;
}

export interface AuditContextsTable {
  chain: number;
  id: string;
  actor_type: string;
  actor_id: string | null;
  session_id: string | null;
  token_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditShapesTable {
  chain: number;
  id: string;
  action: string;
  object_type: string | null;
  outcome: string;
  metadata: string | null;
}

/** A signed statement that the chain had this hash at this seq (Ed25519 under the KeyProvider's audit key). */
export interface AuditCheckpointsTable {
  workspace_id: string;
  seq: number | string;
  hash: Buffer;
  at: number;
  key_fingerprint: string;
  signature: Buffer;
}

/** The customers an event about many of them (a list page, a lookup) concerned. */
export interface AuditEventCustomersTable {
  workspace_id: string;
  customer_id: string;
  seq: number | string;
}

/** The trail's index by object, run by run (audit/object-index.ts). */
export interface AuditObjectIndexTable {
  chain: number;
  run: number | string;
  object_id: string;
  seq: number | string;
}

/** The runs of a chain `audit_object_index` holds; past the last, events are not indexed yet. */
export interface AuditObjectRunsTable {
  chain: number;
  run: number | string;
}

export interface WorkspaceKeysTable {
  workspace_id: string;
  /** `data` wraps subject keys; `index` derives blind-index keys. */
  purpose: string;
  version: number;
  wrapped_key: Buffer;
  kek_id: string;
  created_at: number;
  retired_at: number | null;
}

export interface CustomersTable {
  workspace_id: string;
  id: string;
  kind: string;
  owner_user_id: string | null;
  /** JSON of the public and internal values, by field key. */
  plain_values: string;
  /** One ciphertext of the personal values (JSON by field key) under the subject key. */
  personal_values: Buffer | null;
  /** One ciphertext of the sensitive values under the subject key. */
  sensitive_values: Buffer | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  /** The owning team; with the owner it decides who reaches the customer. */
  team_id: NullableOnInsert<string>;
}

export interface SubjectKeysTable {
  workspace_id: string;
  customer_id: string;
  data_key_version: number;
  wrapped_key: Buffer;
  created_at: number;
}

export interface CustomerLookupTable {
  workspace_id: string;
  field: string;
  /** Blind index (truncated HMAC, 16 bytes) of a normalized value or name token. */
  token: Buffer;
  customer_id: string;
}

export interface CustomerTransactionsTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  external_id: string | null;
  occurred_at: number;
  /** Integer minor units (fen, cents) of `currency` (ISO 4217). */
  amount_minor: number;
  currency: string;
  channel: string | null;
  status: string;
  /** JSON array of { sku, name, quantity, unitAmountMinor }. */
  line_items: string;
  created_at: number;
}

export interface CustomerEventsTable {
  workspace_id: string;
  customer_id: string;
  occurred_at: number;
  id: string;
  type: string;
  /** JSON object. */
  properties: string;
}

export interface CustomerNotesTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  author_id: string | null;
  /** Ciphertext of the note under the customer's subject key. */
  body: Buffer;
  created_at: number;
  deleted_at: number | null;
}

/** One changed field of a customer: who, when, how, and the values before and after. */
export interface CustomerFieldHistoryTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  field_key: string;
  at: number;
  /** `user` (actor_id: the user's id) or `system` (actor_id: the job's name). */
  actor_type: string;
  actor_id: string | null;
  /** set, cleared, retention, reclassified. */
  change: string;
  /** JSON `{ old?, new? }` of a public or internal field (a reclassification: the classes). */
  values_plain: string | null;
  /** The same JSON for a personal or sensitive field: ciphertext under the customer's subject key. */
  values_sealed: Buffer | null;
}

export interface FieldDefinitionsTable {
  workspace_id: string;
  kind: string;
  key: string;
  type: string;
  /** JSON { en, "zh-CN" }. */
  labels: string;
  sensitivity: string;
  required: number;
  lookup: string;
  /** JSON array of choices for select fields. */
  options: string | null;
  /** JSON array of purpose tags. */
  purposes: string;
  position: number;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
  /** 1: no two live customers of the workspace share a value (checked through the blind index). */
  unique_values: number;
  /** JSON FieldValidation: length or number bounds. */
  validation: string | null;
  /** How long a value is kept, in days (null: as long as the customer). */
  retention_days: number | null;
}

export interface CustomerContactPointsTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  /** `email`, `phone` or `im`. */
  type: string;
  /** For messaging handles: wechat, whatsapp, qq, line, telegram… */
  channel: string | null;
  label: string | null;
  /** Ciphertext of the standardized value under the customer's subject key. */
  value: Buffer;
  is_primary: number;
  created_at: number;
}

export interface CustomerAddressesTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  /** home, work, billing, shipping or other. */
  type: string;
  /** ISO 3166-1 alpha-2, kept plain for filters and data quality. */
  country: string;
  /** Ciphertext of the JSON {label, region, city, district, street, postalCode} under the subject key. */
  value: Buffer;
  is_primary: number;
  created_at: number;
  updated_at: number;
}

export interface SavedViewsTable {
  workspace_id: string;
  id: string;
  owner_user_id: string;
  name: string;
  /** 1: every user of the workspace sees it; 0: its owner only. */
  shared: number;
  /** JSON {q, kind, filters, sort, columns}: public and internal field keys and values only. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface RolesTable {
  workspace_id: string;
  /** A built-in role's key (the row overrides its definition) or a custom role's. */
  key: string;
  /** JSON { en, "zh-CN" }. */
  labels: string;
  /** JSON RolePermissions (src/shared/permissions.ts). */
  permissions: string;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  workspace_id: string;
  id: string;
  name: string;
  parent_id: string | null;
  created_at: number;
}

export interface BreakGlassGrantsTable {
  workspace_id: string;
  id: string;
  user_id: string;
  reason: string;
  started_at: number;
  expires_at: number;
  /** Ended early by its holder; otherwise it ends at expires_at. */
  ended_at: number | null;
}

export interface SupportCasesTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  owner_user_id: string | null;
  subject: string;
  /** `open` or `closed`. */
  status: string;
  created_at: number;
  closed_at: number | null;
}

export interface NotificationsTable {
  workspace_id: string;
  id: string;
  /** Who it is for. */
  user_id: string;
  /** e.g. `break_glass.started`. */
  kind: string;
  /** JSON: ids, codes and times, never customer values. */
  payload: string;
  created_at: number;
  read_at: number | null;
}

/** How far the alert detector has read a workspace's audit chain. */
export interface AlertCursorsTable {
  workspace_id: string;
  seq: number | string;
  updated_at: number;
}

/** A workspace's own settings of a detection rule; a rule without a row runs on its defaults. */
export interface AlertRulesTable {
  workspace_id: string;
  /** e.g. `bulk_viewing` (alerts/rules.ts). */
  rule: string;
  enabled: number;
  /** `none`, `require_mfa`, `end_sessions` or `suspend`. */
  action: string;
  /** JSON: threshold, window, look-back, working hours. */
  params: string;
  updated_at: number;
  updated_by: string | null;
}

/** What a detection rule raised over the audit trail, and who dealt with it. */
export interface AlertsTable {
  workspace_id: string;
  id: string;
  rule: string;
  severity: string;
  /** Who or what the rule counted for (a user id, or a token id): one alert per rule and subject per window. */
  subject: string;
  actor_type: string;
  actor_id: string | null;
  token_id: string | null;
  ip: string | null;
  window_start: number;
  window_end: number;
  count: number;
  threshold: number | null;
  /** JSON: the counts behind the alert; ids and numbers, never a customer value. */
  details: string;
  first_seq: number | string;
  last_seq: number | string;
  /** `open`, `acknowledged` or `resolved`. */
  status: string;
  raised_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  /** The automatic response configured when it was raised, and what came of it. */
  action: string;
  action_result: string;
  /** `off` (no SMTP), `none` (nobody to tell), `pending` (being sent), `sent` or `failed`. */
  mail: string;
}

/** The installation's backup schedule (one row, scope '*'): a backup holds every workspace. */
export interface BackupScheduleTable {
  scope: string;
  enabled: number;
  /** `HH:MM`, server time. */
  time_of_day: string;
  updated_at: number;
  updated_by: string | null;
}

export interface BackupRunsTable {
  id: string;
  /** `scheduled` or `manual`. */
  trigger: string;
  /** `running`, `succeeded` or `failed`. */
  status: string;
  started_at: number | string;
  finished_at: number | string | null;
  /** The file's name in the backup folder, never its directories. */
  file: string | null;
  bytes: number | string | null;
  /** `pending`, `verified` or `failed`. */
  verify_status: string;
  error_code: string | null;
}

/** A customer export job (exports/): its state, progress and its file's key sealed by the master key (null once expired). */
export interface CustomerExportsTable {
  workspace_id: string;
  id: string;
  /** The user id (or system actor name) who asked: the only one who may read the job and download its file. */
  created_by: string;
  /** `running`, `completed`, `failed` or `cancelled`. */
  status: string;
  /** `csv` or `xlsx`. */
  format: string;
  /** JSON: the field keys exported, in order. */
  columns: string;
  total: number | string;
  done: number | string;
  sealed_key: Buffer | null;
  bytes: number | string | null;
  error_code: string | null;
  created_at: number | string;
  /** Progress was last written (a running job not updated for long was cut short by a restart). */
  updated_at: number | string;
  finished_at: number | string | null;
  expires_at: number | string | null;
}

export interface ImportJobsTable {
  workspace_id: string;
  id: string;
  /** The user's id, or the system actor's name (`cli`). */
  created_by: string;
  /** `upload` (the file is ours, sealed in the imports folder) or `cli` (the operator's own file, read in place). */
  source: string;
  file_name: string;
  file_path: string;
  file_sha256: string;
  file_bytes: number | string;
  /** The job's random key, sealed by the KeyProvider: it seals the uploaded file and the rejected rows. */
  job_key: Buffer;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  /** JSON: the file's header row. */
  headers: string;
  kind: string;
  /** JSON: per column, the field key it fills or null. */
  mapping: string;
  match_by: string;
  on_match: string;
  dry_run: number;
  /** `uploaded`, `running`, `cancelled`, `completed` or `failed`. */
  status: string;
  total: number | string | null;
  /** Data rows committed (read, and written or refused): where a resumed import starts. */
  done: number | string;
  imported: number | string;
  updated: number | string;
  unchanged: number | string;
  rejected: number | string;
  duplicates: number | string;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface ImportRejectionsTable {
  workspace_id: string;
  job_id: string;
  row: number | string;
  /** The original cells and the reasons, sealed under the job's key. */
  sealed: Buffer;
}

/** A pair of customers found alike, stored once with the lower id first; reasons are codes, never values. */
export interface DuplicateCandidatesTable {
  workspace_id: string;
  id: string;
  customer_a: string;
  customer_b: string;
  /** 0–100. */
  score: number;
  /** JSON array of reason codes: email, phone, nationalId, name, name_sound, company, city. */
  reasons: string;
  /** open, dismissed or merged. */
  status: string;
  created_at: number;
  resolved_by: string | null;
  resolved_at: number | null;
}

/** A merge of two customers, with what undoing it needs (for 30 days). */
export interface CustomerMergesTable {
  workspace_id: string;
  id: string;
  survivor_id: string;
  /** Soft-deleted by the merge: this row is its pointer to the survivor. */
  merged_id: string;
  /** JSON field key → 'survivor' | 'merged'. */
  fields: string;
  /** Each customer's values before the merge, sealed under that customer's subject key. */
  survivor_snapshot: Buffer;
  merged_snapshot: Buffer;
  /** JSON: ids of the merged customer's rows moved to the survivor, by kind, and the contact points the merge added. */
  moved: string;
  created_by: string | null;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
}

/** A data-quality report (quality/): a job with its progress; once completed, its counts (never a value or a customer id). */
export interface QualityReportsTable {
  workspace_id: string;
  id: string;
  /** The user id, or the system actor's name. */
  created_by: string;
  /** `running`, `completed`, `cancelled` or `failed`. */
  status: string;
  stale_months: number;
  done: number | string;
  total: number | string;
  created_at: number | string;
  /** When the job last wrote its progress. */
  heartbeat_at: number | string;
  finished_at: number | string | null;
  error_code: string | null;
  /** JSON of the result (shared/quality.ts QualityResult) once completed. */
  result: string | null;
}

export interface DB {
  workspaces: WorkspacesTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  throttle_buckets: ThrottleBucketsTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  audit_log: AuditLogTable;
  audit_contexts: AuditContextsTable;
  audit_shapes: AuditShapesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_event_customers: AuditEventCustomersTable;
  audit_object_index: AuditObjectIndexTable;
  audit_object_runs: AuditObjectRunsTable;
  workspace_keys: WorkspaceKeysTable;
  customers: CustomersTable;
  subject_keys: SubjectKeysTable;
  customer_lookup: CustomerLookupTable;
  customer_transactions: CustomerTransactionsTable;
  customer_events: CustomerEventsTable;
  customer_notes: CustomerNotesTable;
  customer_field_history: CustomerFieldHistoryTable;
  field_definitions: FieldDefinitionsTable;
  customer_contact_points: CustomerContactPointsTable;
  customer_addresses: CustomerAddressesTable;
  saved_views: SavedViewsTable;
  roles: RolesTable;
  teams: TeamsTable;
  break_glass_grants: BreakGlassGrantsTable;
  support_cases: SupportCasesTable;
  notifications: NotificationsTable;
  alert_cursors: AlertCursorsTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  backup_schedule: BackupScheduleTable;
  backup_runs: BackupRunsTable;
  import_jobs: ImportJobsTable;
  import_rejections: ImportRejectionsTable;
  customer_exports: CustomerExportsTable;
  duplicate_candidates: DuplicateCandidatesTable;
  customer_merges: CustomerMergesTable;
  quality_reports: QualityReportsTable;
}
