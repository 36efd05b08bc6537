/**
 * What the standardizers return: the normalized value, or a reason code the HTTP layer turns
 * into a 400 naming the field (`{"error":{"code":"invalid_phone","message":…,"field":"phone"}}`).
 * A value, not an exception, because bulk imports collect refusals per row instead of stopping.
 */
export const STANDARDIZE_PROBLEMS = [
  'empty',
  'too_long',
  'invalid_name',
  'invalid_phone',
  'invalid_email',
  'invalid_national_id',
  'invalid_birth_date',
  'invalid_checksum',
  'invalid_bank_card',
  'invalid_country',
  'invalid_date',
  'invalid_datetime',
  'missing_timezone',
] as const;
export type StandardizeProblem = (typeof STANDARDIZE_PROBLEMS)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; reason: StandardizeProblem };

export const STANDARDIZE_MESSAGES: Record<StandardizeProblem, string> = {
  empty: 'A value is required.',
  too_long: 'The value is too long.',
  invalid_name: 'The name contains characters that are not allowed.',
  invalid_phone: 'Not a valid phone number.',
  invalid_email: 'Not a valid email address.',
  invalid_national_id: 'Not a valid identity card number: 17 digits followed by a digit or X.',
  invalid_birth_date: 'The birth date inside the identity card number is not a real date.',
  invalid_checksum: 'The check digit does not match; the number has a typo.',
  invalid_bank_card: 'Not a valid bank card number: 12 to 19 digits.',
  invalid_country: 'Not a known country: use an ISO 3166 code such as CN or US.',
  invalid_date: 'Not a valid date: use YYYY-MM-DD.',
  invalid_datetime: 'Not a valid date and time: use ISO 8601, e.g. 2024-03-05T09:30:00+08:00.',
  missing_timezone: 'The date and time needs a time zone offset, e.g. Z or +08:00.',
};

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(reason: StandardizeProblem): Result<T> {
  return { ok: false, reason };
}
