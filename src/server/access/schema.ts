import { Type } from '@sinclair/typebox';
import { SENSITIVITY_CLASSES } from '../../shared/fields.js';
import { ACTIONS, CAPABILITIES, FIELD_LEVELS, OBJECTS, SCOPES } from '../../shared/permissions.js';
import { Id, Nullable, StringEnum } from '../http/schemas.js';

const Level = StringEnum(FIELD_LEVELS);
const FieldAccess = Type.Union([Level, Type.Object({ own: Level, team: Level, case: Level, other: Level }, { additionalProperties: false })]);
const Grants = Type.Object(Object.fromEntries(ACTIONS.map((action) => [action, Type.Optional(StringEnum(SCOPES))])), { additionalProperties: false });

export const Permissions = Type.Object(
  {
    objects: Type.Object(Object.fromEntries(OBJECTS.map((object) => [object, Type.Optional(Grants)])), { additionalProperties: false }),
    fields: Type.Object(
      {
        byClass: Type.Object(Object.fromEntries(SENSITIVITY_CLASSES.map((cls) => [cls, FieldAccess])), { additionalProperties: false }),
        byField: Type.Record(Type.String({ pattern: '^(person|company)\\.[a-zA-Z][a-zA-Z0-9]{0,40}$' }), FieldAccess, { maxProperties: 300 }),
      },
      { additionalProperties: false },
    ),
    capabilities: Type.Array(StringEnum(CAPABILITIES), { uniqueItems: true, maxItems: CAPABILITIES.length }),
  },
  { additionalProperties: false },
);

const Labels = Type.Object({ en: Type.String({ minLength: 1, maxLength: 80 }), 'zh-CN': Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false });

export const RoleSchema = Type.Object({ key: Type.String(), labels: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }), builtIn: Type.Boolean(), permissions: Type.Unknown() });
export const RoleList = Type.Object({ items: Type.Array(RoleSchema) });
export const RoleParams = Type.Object({ key: Type.String({ minLength: 2, maxLength: 40 }) }, { additionalProperties: false });
export const NewRoleBody = Type.Object({ key: Type.String({ minLength: 2, maxLength: 40 }), labels: Labels, permissions: Permissions }, { additionalProperties: false });
export const RoleChangesBody = Type.Object({ labels: Type.Optional(Labels), permissions: Type.Optional(Permissions) }, { additionalProperties: false, minProperties: 1 });

export const TeamSchema = Type.Object({ id: Type.String(), name: Type.String(), parentId: Nullable<string>({ type: 'string' }) });
export const TeamList = Type.Object({ items: Type.Array(TeamSchema) });
export const NewTeamBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), parentId: Type.Optional(Nullable<string>({ type: 'string', maxLength: 36 })) }, { additionalProperties: false });
export const TeamChangesBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })), parentId: Type.Optional(Nullable<string>({ type: 'string', maxLength: 36 })) },
  { additionalProperties: false, minProperties: 1 },
);
export const UserTeamBody = Type.Object({ teamId: Nullable<string>({ type: 'string', maxLength: 36 }) }, { additionalProperties: false });
export const UserTeamParams = Type.Object({ id: Id }, { additionalProperties: false });

export const BreakGlassBody = Type.Object(
  { reason: Type.String({ minLength: 10, maxLength: 500 }), minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 240, description: 'Default 60.' })) },
  { additionalProperties: false },
);
export const BreakGlassGrant = Type.Object({ id: Type.String(), reason: Type.String(), startedAt: Type.String({ format: 'date-time' }), expiresAt: Type.String({ format: 'date-time' }) });
export const BreakGlassState = Type.Object({ grant: Type.Union([BreakGlassGrant, Type.Null()]) });
