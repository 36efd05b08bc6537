/**
 * The field registry's vocabulary, shared by server and web: every customer value belongs to
 * a field definition whose sensitivity class decides how it is stored, shown and searched
 * (DESIGN.md, "Data classification").
 */
export const SENSITIVITY_CLASSES = ['public', 'internal', 'personal', 'sensitive'] as const;
export type Sensitivity = (typeof SENSITIVITY_CLASSES)[number];

export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
  'select',
  'multi_select',
  'email',
  'phone',
  'url',
  'national_id',
  'bank_card',
  'country',
  'tags',
  /** A link to a company customer of the workspace, by its id. */
  'company',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const CUSTOMER_KINDS = ['person', 'company'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** How a value may be looked up: exact match on the normalized value, or by name tokens. */
export type LookupKind = 'none' | 'exact' | 'name';

export interface FieldDefinition {
  key: string;
  kind: CustomerKind;
  type: FieldType;
  labels: { en: string; 'zh-CN': string };
  sensitivity: Sensitivity;
  required: boolean;
  lookup: LookupKind;
  options?: string[];
  /** What the value is collected for (PIPL/GDPR purpose limitation). */
  purposes: string[];
  builtIn: boolean;
  /** No two live customers of the workspace share a value (exact-lookup fields only). */
  unique?: boolean;
  validation?: FieldValidation;
  /**
   * How long a value is kept (PIPL/GDPR storage limitation): a value of a customer not
   * updated for this many days is cleared by the retention job. Absent: kept with the customer.
   */
  retentionDays?: number;
}

/** Bounds on a value: lengths for text-like types, numbers for number and money (minor units). */
export interface FieldValidation {
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
}

/** A shown value: in clear, masked, or (hidden) absent from the record altogether. */
export type Visibility = 'clear' | 'masked' | 'hidden';
