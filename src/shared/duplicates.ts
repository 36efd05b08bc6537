// The duplicates API's shapes (issue 7), shared by the server (vault/gateway/duplicates.ts) and the web app (web/duplicates/).

export const DUPLICATE_STATUSES = ['open', 'dismissed', 'merged'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];

/** What two customers were found alike by. */
export const DUPLICATE_REASONS = ['email', 'phone', 'nationalId', 'name', 'name_sound', 'company', 'city'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** A pair of customers found alike, both shown at the caller's field levels (`Customer`: each side's record type). */
export interface DuplicatePair<Customer> {
  id: string;
  score: number;
  reasons: DuplicateReason[];
  status: DuplicateStatus;
  createdAt: string;
  resolvedAt: string | null;
  customers: [Customer, Customer];
}
