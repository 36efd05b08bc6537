import { Type } from '@sinclair/typebox';
import { OBJECTS } from '../../shared/permissions.js';
import { Body, Code, Items, NullableString, NullableTime, Password, StringEnum, Time, UserSchema } from '../http/schemas.js';

export const WorkspaceSchema = Type.Object({ id: Type.String(), name: Type.String(), requireMfa: Type.Boolean() });

export const MeResponse = Type.Object({
  user: UserSchema,
  workspace: WorkspaceSchema,
  csrfToken: NullableString,
  authMethod: StringEnum(['session', 'token'] as const),
  mfaEnrollmentRequired: Type.Boolean(),
  policies: Type.Object({
    manageUsers: Type.Boolean(),
    manageSettings: Type.Boolean(),
    manageRoles: Type.Boolean(),
    manageTeams: Type.Boolean(),
    reassignOwner: Type.Boolean({ description: 'May hand customers to another owner: the capability, and some update scope on customers.' }),
    readAudit: Type.Boolean(),
    breakGlass: Type.Boolean(),
    breakGlassActive: Type.Boolean(),
    readQuality: Type.Boolean(),
    objects: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Per customer object, the actions the user has some scope for.' }),
  }),
});

export const LoginBody = Body({
  // Not format-checked: whatever was typed is normalized and simply fails to match.
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Password,
  code: Type.Optional(Code),
  workspace: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

export const ReauthBody = Body({ password: Type.Optional(Password), code: Type.Optional(Code) });

export const PasswordCheckBody = Body({ password: Type.String({ maxLength: 1024 }), email: Type.Optional(Type.String({ maxLength: 254 })) });
export const PasswordCheckResponse = Type.Object({
  ok: Type.Boolean(),
  score: Type.Integer({ minimum: 0, maximum: 4 }),
  problems: Type.Array(Type.String()),
  warning: NullableString,
  suggestions: Type.Array(Type.String()),
});

export const ChangePasswordBody = Body({ currentPassword: Password, newPassword: Password });

export const MfaStatus = Type.Object({ totpEnabled: Type.Boolean(), recoveryCodesRemaining: Type.Integer() });
export const TotpSetupResponse = Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrCodeDataUrl: Type.String() });
export const TotpEnableBody = Body({ code: Type.String({ minLength: 6, maxLength: 8 }) });
export const RecoveryCodesResponse = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

export const SessionSchema = Type.Object({
  id: Type.String(),
  createdAt: Time,
  lastSeenAt: Time,
  ip: NullableString,
  userAgent: NullableString,
  current: Type.Boolean(),
});
export const SessionList = Items(SessionSchema);

const Narrowing = Type.Object(
  {
    readOnly: Type.Optional(Type.Boolean({ description: 'Only reads: no creating, changing, deleting, exporting or importing.' })),
    objects: Type.Optional(Type.Array(StringEnum(OBJECTS), { uniqueItems: true, minItems: 1, maxItems: OBJECTS.length, description: 'Only these objects.' })),
    fields: Type.Optional(
      Type.Array(Type.String({ pattern: '^(person|company)\\.[a-zA-Z][a-zA-Z0-9]{0,40}$' }), { uniqueItems: true, minItems: 1, maxItems: 200, description: 'Only these fields (kind.key); the others are hidden.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  narrowing: Type.Union([Narrowing, Type.Null()]),
  createdAt: Time,
  expiresAt: Time,
  lastUsedAt: NullableTime,
  revokedAt: NullableTime,
});
export const TokenList = Items(TokenSchema);
export const CreateTokenBody = Body({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  narrowing: Type.Optional(Narrowing),
});
export const CreateTokenResponse = Type.Object({ token: Type.String(), item: TokenSchema });

