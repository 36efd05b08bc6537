import type { Migration } from 'kysely';
import * as foundation from './20261129000000_foundation.js';
import * as vault from './20261129100000_vault.js';
import * as workspacePhoneRegion from './20261129110000_workspace_phone_region.js';
import * as transactionsEvents from './20261129120000_transactions_events.js';
import * as customerNotes from './20261129130000_customer_notes.js';
import * as fieldDefinitions from './20261129140000_field_definitions.js';
import * as contactPoints from './20261129150000_contact_points.js';
import * as addressesViews from './20261129160000_addresses_views.js';
import * as fieldRules from './20261129170000_field_rules.js';
import * as access from './20261129180000_access.js';
import * as notifications from './20261129190000_notifications.js';
import * as auditChain from './20261129200000_audit_chain.js';
import * as alerts from './20261129210000_alerts.js';
import * as fieldHistory from './20261129220000_field_history.js';
import * as auditRetention from './20261129230000_audit_retention.js';
import * as backups from './20261129240000_backups.js';
import * as imports from './20261130100000_imports.js';
import * as duplicates from './20261130110000_duplicates.js';
import * as exportsTable from './20261130120000_exports.js';
import * as quality from './20261130130000_quality.js';
import * as auditObjectRuns from './20261201000000_audit_object_runs.js';

/** The one linear migration chain, in order. Append; never edit a released entry. */
export const migrations: Record<string, Migration> = {
  '20261129000000_foundation': foundation,
  '20261129100000_vault': vault,
  '20261129110000_workspace_phone_region': workspacePhoneRegion,
  '20261129120000_transactions_events': transactionsEvents,
  '20261129130000_customer_notes': customerNotes,
  '20261129140000_field_definitions': fieldDefinitions,
  '20261129150000_contact_points': contactPoints,
  '20261129160000_addresses_views': addressesViews,
  '20261129170000_field_rules': fieldRules,
  '20261129180000_access': access,
  '20261129190000_notifications': notifications,
  '20261129200000_audit_chain': auditChain,
  '20261129210000_alerts': alerts,
  '20261129220000_field_history': fieldHistory,
  '20261129230000_audit_retention': auditRetention,
  '20261129240000_backups': backups,
  '20261130100000_imports': imports,
  '20261130110000_duplicates': duplicates,
  '20261130120000_exports': exportsTable,
  '20261130130000_quality': quality,
  '20261201000000_audit_object_runs': auditObjectRuns,
};
