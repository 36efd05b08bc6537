/** A failed API call, parsed from the server's `{"error":{"code","message","field"}}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds to wait before trying again, from `Retry-After` on a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Codes the client itself produces, next to the server's. */
export const CLIENT_ERROR_CODES = {
  network: 'network_error',
  unreadable: 'unreadable_response',
  reauthCancelled: 'reauth_cancelled',
} as const;

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
