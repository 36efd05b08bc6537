import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { MappableField } from './auto-map.js';
import { DELIMITERS } from './delimiter.js';
import { SOURCE_ENCODINGS } from './encoding.js';

const oneOf = <const T extends readonly string[]>(values: T) => Type.Union(values.map((value) => Type.Literal(value)));

/**
 * The mapping file of `custos import --mapping M.json`: which customer kind, how rows find the
 * customer they update, how the file is read when detection guesses wrong, and which column goes
 * to which field (`null` leaves a column out). Columns not named keep their automatic mapping.
 */
export const MappingFile = Type.Object(
  {
    kind: Type.Optional(oneOf(['person', 'company'] as const)),
    matchBy: Type.Optional(oneOf(['email', 'phone', 'nationalId', 'externalId'] as const)),
    onMatch: Type.Optional(oneOf(['update', 'fillEmpty', 'skip'] as const)),
    encoding: Type.Optional(oneOf(SOURCE_ENCODINGS)),
    delimiter: Type.Optional(oneOf(DELIMITERS)),
    columns: Type.Optional(
      Type.Record(Type.String({ pattern: '^[\\s\\S]{1,200}$' }), Type.Union([Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }), Type.Null()]), {
        maxProperties: 500,
        additionalProperties: false,
      }),
    ),
  },
  { additionalProperties: false },
);
export type MappingFileValue = Static<typeof MappingFile>;

/** Checks a parsed mapping file, or throws an Error listing what is wrong with it, by path. */
export function parseMappingFile(json: unknown): MappingFileValue {
  if (Value.Check(MappingFile, json)) return json;
  const problems = [...Value.Errors(MappingFile, json)].slice(0, 5).map((error) => `${error.path || '/'}: ${explain(error.schema, error.message)}`);
  throw new Error(`The mapping file is not valid: ${problems.join('; ')}.`);
}

/**
 * The automatic mapping with the mapping file's columns applied on top, by header name. A field
 * the file gives to a column is taken from any column auto-mapping gave it to. Throws an Error
 * naming the header or field key that does not exist, or a field named for two columns.
 */
export function applyMapping(
  headers: readonly string[],
  auto: readonly (string | null)[],
  columns: Record<string, string | null> | undefined,
  fields: readonly MappableField[],
): (string | null)[] {
  const mapping = headers.map((_, index) => auto[index] ?? null);
  if (!columns) return mapping;
  const keys = new Set(fields.map((field) => field.key));
  const chosen = new Map<number, string | null>();
  for (const [header, key] of Object.entries(columns)) {
    const index = headers.indexOf(header.trim());
    if (index < 0) throw new Error(`The mapping file names a column the file does not have: "${header}".`);
    if (key !== null && !keys.has(key)) throw new Error(`The mapping file names an unknown field: "${key}" (for column "${header}").`);
    if (key !== null && [...chosen.values()].includes(key)) throw new Error(`The mapping file maps two columns to the field "${key}".`);
    chosen.set(index, key);
  }
  const claimed = new Set(chosen.values());
  return mapping.map((key, index) => (chosen.has(index) ? chosen.get(index)! : key !== null && claimed.has(key) ? null : key));
}

/** TypeBox says "Expected union value"; a person editing the file needs the choices. */
function explain(schema: TSchema, message: string): string {
  const choices = (schema.anyOf as TSchema[] | undefined)?.map((branch) => (branch.const !== undefined ? JSON.stringify(branch.const) : branch.type === 'null' ? 'null' : 'a field key'));
  return choices ? `Expected ${choices.join(' or ')}` : message.replace(/\.$/, '');
}
