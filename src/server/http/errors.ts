/**
 * The errors services throw. Routes never build error bodies by hand: the error handler in
 * http/error-handler.ts turns these into `{"error":{"code","message","field"}}`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, field?: string) => new AppError(400, code, message, field);
export const unauthorized = (code = 'unauthenticated', message = 'Sign in to continue.') => new AppError(401, code, message);
export const forbidden = (code = 'forbidden', message = 'You are not allowed to do this.') => new AppError(403, code, message);
export const notFound = (code = 'not_found', message = 'Not found.') => new AppError(404, code, message);
export const conflict = (code: string, message: string, field?: string) => new AppError(409, code, message, field);
export const tooManyRequests = (retryAfterSeconds: number, code = 'too_many_attempts') =>
  new AppError(429, code, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, undefined, {
    'retry-after': String(retryAfterSeconds),
  });
