import { Type } from '@sinclair/typebox';
import { Body, DisplayName, Email, Password, UserSchema } from '../http/schemas.js';

export const SetupStatus = Type.Object({ needsSetup: Type.Boolean() });
export const SetupBody = Body({
  setupToken: Type.String({ minLength: 10, maxLength: 100 }),
  workspaceName: Type.String({ minLength: 1, maxLength: 100 }),
  email: Email,
  displayName: DisplayName,
  password: Password,
});
export const SetupResponse = Type.Object({ user: UserSchema });

export const SettingsSchema = Type.Object({
  requireMfa: Type.Boolean(),
  phoneRegion: Type.String(),
  auditRetentionDays: Type.Integer(),
  sessionIdleMinutes: Type.Integer(),
  sessionAbsoluteHours: Type.Integer(),
});
/** The audit trail is kept at least 90 days and at most ten years. */
export const AUDIT_RETENTION_DAYS = { min: 90, max: 3650 } as const;
export const UpdateSettingsBody = Body({
  requireMfa: Type.Optional(Type.Boolean()),
  phoneRegion: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
  auditRetentionDays: Type.Optional(Type.Integer({ minimum: AUDIT_RETENTION_DAYS.min, maximum: AUDIT_RETENTION_DAYS.max })),
});
