/** At most this many customers per recovery: the server's own bound (`MAX_RECOVER_BATCH`). */
export const MAX_RECOVER_IDS = 500;
/** A customer id is never longer than this (the server refuses longer ones). */
export const MAX_CUSTOMER_ID_LENGTH = 64;

export interface ParsedCustomerIds {
  /** The ids, trimmed, first occurrence kept, in the order pasted. */
  ids: string[];
  /** More than MAX_RECOVER_IDS distinct ids were pasted. */
  tooMany: boolean;
  /** Pasted tokens too long to be an id. */
  invalid: string[];
}

/**
 * Reads the customer ids an administrator pasted: one a line, or separated by commas,
 * semicolons or spaces (as copied from a spreadsheet column or an export), blanks ignored,
 * duplicates dropped — recovering a customer twice in one request means nothing more.
 */
export function parseCustomerIds(text: string): ParsedCustomerIds {
  const distinct = [...new Set(text.split(/[\s,;]+/).filter((token) => token !== ''))];
  const invalid = distinct.filter((token) => token.length > MAX_CUSTOMER_ID_LENGTH);
  const ids = distinct.filter((token) => token.length <= MAX_CUSTOMER_ID_LENGTH);
  return { ids, tooMany: ids.length > MAX_RECOVER_IDS, invalid };
}
