export { STANDARDIZE_MESSAGES, STANDARDIZE_PROBLEMS, type Result, type StandardizeProblem } from './result.js';
export { normalizePhone } from './phone.js';
export { normalizeEmail, type NormalizedEmail } from './email.js';
export { normalizeChineseNationalId } from './national-id.js';
export { normalizeBankCard } from './bank-card.js';
export { ISO_3166_ALPHA2, normalizeCountry, type CountryAlpha2 } from './country.js';
export { normalizeDate, normalizeDateTime } from './date.js';
export { MAX_PREFIX, nameTokens, normalizeName, queryTokens } from './name.js';
export { maskBankCard, maskEmail, maskName, maskNationalId, maskPhone, maskText, maskValue, type MaskKind } from './mask.js';
