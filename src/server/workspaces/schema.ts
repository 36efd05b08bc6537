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

export const SettingsSchema = Type.Object({ requireMfa: Type.Boolean(), phoneRegion: Type.String(), sessionIdleMinutes: Type.Integer(), sessionAbsoluteHours: Type.Integer() });
export const UpdateSettingsBody = Body({ requireMfa: Type.Optional(Type.Boolean()), phoneRegion: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })) });
