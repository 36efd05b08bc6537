import { createGatewayContext, type GatewayDeps } from './gateway/context.js';
import { customerActivity } from './gateway/activity.js';
import { customerAddresses } from './gateway/addresses.js';
import { customerCases } from './gateway/cases.js';
import { customerContactPoints } from './gateway/contact-points.js';
import { customerDuplicates } from './gateway/duplicates.js';
import { customerMerges } from './gateway/merge.js';
import { customerHistory } from './gateway/history.js';
import { customerNotes } from './gateway/notes.js';
import { customerOwnership } from './gateway/ownership.js';
import { customerPreferences } from './gateway/preferences.js';
import { customerRecords } from './gateway/records.js';
import { customerExport } from './gateway/export.js';
import { customerImports } from './gateway/imports.js';
import { fieldReclassification } from './gateway/reclassify.js';
import { customerRecovery } from './gateway/recovery.js';
import { fieldRetention } from './gateway/retention.js';
import { customerQuality } from './gateway/quality.js';

export { DEFAULT_PHONE_REGION, RESTORE_WINDOW_MS, type CustomerRecord } from './gateway/context.js';
export { CONTACT_POINT_TYPES, IM_CHANNELS, type ContactPointInput } from './gateway/contact-points.js';
export type { EventInput, TransactionInput } from './gateway/activity.js';
export { ADDRESS_LIMITS, ADDRESS_TYPES, type AddressChanges, type AddressInput } from './gateway/addresses.js';
export { PREFERENCE_CHANNELS, PREFERENCE_LANGUAGES, type Preferences } from './gateway/preferences.js';
export type { Rejection } from './gateway/records.js';
export { EXPORT_PAGE_ROWS, EXPORT_REASON_MIN_LENGTH, EXPORT_REASON_ROWS, requireExportReason, type ExportColumn, type ExportPlan, type ExportQuery, type ExportSink } from './gateway/export.js';
export { MAX_REASSIGN_BATCH } from './gateway/ownership.js';
export { IMPORT_MATCH_KEYS, IMPORT_ON_MATCH, type ImportMatchKey, type ImportOnMatch } from './gateway/imports.js';
export { HISTORY_CHANGES, type HistoryItem } from './gateway/history.js';
export { MAX_RECOVER_BATCH, type BackupSource, type RecoveredCustomer } from './gateway/recovery.js';
export { authorizeQuality, qualityFieldsFor, QualityReportCancelled } from './gateway/quality.js';

/**
 * The records gateway: the one module that reads and writes customer data (its parts live in
 * ./gateway/, one per kind of customer data, sharing ./gateway/context.ts). Every call takes
 * an Actor and runs, in this order, the policy hook, then encryption or decryption of only
 * what the actor may see, then the audit event — for writes in the same transaction.
 */
export function createVaultGateway(deps: GatewayDeps) {
  const ctx = createGatewayContext(deps);
  const { listParts, ...records } = customerRecords(ctx);
  const duplicates = customerDuplicates(ctx);
  return {
    ...records,
    ...customerExport(ctx, listParts),
    ...customerActivity(ctx),
    ...customerContactPoints(ctx),
    ...customerNotes(ctx),
    ...customerAddresses(ctx),
    ...customerCases(ctx),
    ...customerOwnership(ctx),
    ...customerHistory(ctx),
    ...fieldReclassification(ctx),
    ...fieldRetention(ctx),
    ...customerRecovery(ctx),
    ...duplicates,
    ...customerMerges(ctx),
    // Imports flag the possible duplicates among the customers they create, and count them.
    ...customerImports(ctx, duplicates.flagDuplicates),
    ...customerQuality(ctx),
    // Preferences are four of the customer's fields: written through the records' own update.
    ...customerPreferences(ctx, records.update),
  };
}

export type VaultGateway = ReturnType<typeof createVaultGateway>;
