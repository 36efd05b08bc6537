export { normalizeName, normalizeCity, normalizeCompany, nameSound } from './normalize.js';
export { blockKeys } from './blocks.js';
export { DUPLICATE_REASONS, IDENTIFIERS, jaroWinkler, nameSimilarity, scorePair, type DuplicateProfile, type DuplicateReason, type IdentifierReason } from './similarity.js';
