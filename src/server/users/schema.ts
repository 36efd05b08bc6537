import { Type } from '@sinclair/typebox';
import { Body, DisplayName, Email, Items, Locale, NullableTime, Password, Role, Time, UserSchema } from '../http/schemas.js';

export const UserResponse = Type.Object({ user: UserSchema });
export const UserList = Items(UserSchema);
export const UpdateProfileBody = Body({ displayName: Type.Optional(DisplayName), locale: Type.Optional(Locale) });
export const ChangeEmailBody = Body({ email: Email });
export const ChangeRoleBody = Body({ role: Role });

export const InvitationSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  createdAt: Time,
  expiresAt: Time,
  acceptedAt: NullableTime,
  revokedAt: NullableTime,
});
export const InvitationList = Items(InvitationSchema);
export const InviteBody = Body({ email: Email, role: Role });
export const InviteResponse = Type.Object({ invitation: InvitationSchema, inviteUrl: Type.String() });

export const InvitationTokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) }, { additionalProperties: false });
export const InvitationPreview = Type.Object({ email: Type.String(), workspaceName: Type.String(), role: Type.String(), expiresAt: Time });
export const AcceptInvitationBody = Body({ token: Type.String({ minLength: 20, maxLength: 100 }), displayName: DisplayName, password: Password });
