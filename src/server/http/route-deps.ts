import type { Clock } from '../clock.js';
import type { AuditService } from '../audit/service.js';
import type { AuditIntegrity } from '../audit/integrity.js';
import type { MfaService } from '../auth/mfa-service.js';
import type { AuthService } from '../auth/service.js';
import type { TokenService } from '../auth/token-service.js';
import type { UserService } from '../users/service.js';
import type { WorkspaceService } from '../workspaces/service.js';
import type { BreakGlass } from '../access/break-glass.js';
import type { AccessService } from '../access/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { AlertService } from '../alerts/service.js';
import type { BackupService } from '../backup/service.js';
import type { BackupScheduler } from '../backup/schedule.js';
import type { VaultGateway } from '../vault/gateway.js';
import type { QualityService } from '../quality/service.js';
import type { ImportService } from '../imports/service.js';
import type { ExportService } from '../exports/service.js';
import type { KeyRotation } from '../vault/key-rotation.js';
import type { FieldRegistry } from '../vault/field-registry.js';
import type { CookieSettings } from './authenticate.js';

export interface Services {
  audit: AuditService;
  /** Signs the audit chains' heads and verifies the chains (`custos audit verify`). */
  auditIntegrity: AuditIntegrity;
  mfa: MfaService;
  auth: AuthService;
  tokens: TokenService;
  users: UserService;
  workspaces: WorkspaceService;
  /** The records gateway: the only door to customer data. */
  vault: VaultGateway;
  keyRotation: KeyRotation;
  /** No-code custom fields; the gateway reads the registry it keeps. */
  fields: FieldRegistry;
  /** Roles as data and teams (issue #4). */
  access: AccessService;
  breakGlass: BreakGlass;
  notifications: NotificationService;
  /** Detection rules over the audit trail, their alerts and responses. */
  alerts: AlertService;
  /** Encrypted backups (issue #6): make, verify, read; and the server's own schedule of them. */
  backups: BackupService;
  backupSchedule: BackupScheduler;
  /** Customer exports (CSV, XLSX) as jobs, through the gateway. */
  exports: ExportService;
  /** Customer imports (CSV, XLSX) as jobs, through the gateway. */
  imports: ImportService;
  /** Data-quality reports as jobs (issue 7), through the gateway. */
  quality: QualityService;
}

/** What every capability's routes plugin receives from the composition root. */
export interface RouteDeps {
  services: Services;
  cookie: CookieSettings;
  clock: Clock;
}
