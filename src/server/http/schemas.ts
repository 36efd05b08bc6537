import { Type, type TSchema } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH } from '../../shared/password-problems.js';
import { UUID_PATTERN } from '../ids.js';
import { EMAIL_PATTERN } from '../users/email.js';

/**
 * `string | null` as one JSON Schema type list, and string enums as `enum`: the response
 * serializer would otherwise run a validator on every `anyOf` branch of every response.
 */
export const Nullable = <T>(schema: { type: string; [key: string]: unknown }) => Type.Unsafe<T | null>({ ...schema, type: [schema.type, 'null'] });
export const NullableString = Nullable<string>({ type: 'string' });
export const StringEnum = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

/** Request bodies reject unknown properties; every string has a bound. */
export const Body = <T extends Parameters<typeof Type.Object>[0]>(properties: T) => Type.Object(properties, { additionalProperties: false });

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: EMAIL_PATTERN, description: 'Email address' });
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });
export const DisplayName = Type.String({ minLength: 1, maxLength: 100 });
export const Code = Type.String({ minLength: 6, maxLength: 20, description: 'A 6-digit authenticator code or a recovery code' });
/** A role key: built-in (owner, admin, sales_rep, …) or one of the workspace's own; the service checks it exists. */
export const Role = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', maxLength: 40 });
export const Locale = Type.Unsafe<'en' | 'zh-CN' | null>({ type: ['string', 'null'], enum: ['en', 'zh-CN', null] });
export const Id = Type.String({ pattern: UUID_PATTERN, maxLength: 36 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const Time = Type.String({ format: 'date-time' });
export const NullableTime = Nullable<string>({ type: 'string', format: 'date-time' });

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  status: StringEnum(['active', 'deactivated'] as const),
  locale: NullableString,
  mfaEnabled: Type.Boolean(),
  createdAt: Time,
  lastSignInAt: NullableTime,
  teamId: NullableString,
});

export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });
export const NoContent = Type.Null();

/** The error answers a route can give, for the OpenAPI description. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}
