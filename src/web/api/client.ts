import { ApiError, CLIENT_ERROR_CODES } from './api-error.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** Do not offer the "confirm it's you" dialog on `reauth_required` (the re-auth call itself). */
  skipReauth?: boolean;
  /** A 401 here is an answer about the input, not a lost session (sign-in, re-auth). */
  skipSignInRedirect?: boolean;
}

/**
 * 401 codes that judge what the user typed rather than their session: a wrong current
 * password on the password form must not sign them out.
 */
const INPUT_401_CODES = new Set(['invalid_credentials', 'invalid_mfa_code', 'mfa_required']);

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;
let confirmIdentity: (() => Promise<boolean>) | null = null;
let pendingConfirmation: Promise<boolean> | null = null;

/** Keep the latest CSRF token from sign-in and `GET /api/auth/me`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone; the app sends the user to sign in. */
export function setSignedOutHandler(handler: (() => void) | null): void {
  onSignedOut = handler;
}

/** Asks the user to confirm it's them; resolves true once `POST /api/auth/reauth` succeeded. */
export function setReauthHandler(handler: (() => Promise<boolean>) | null): void {
  confirmIdentity = handler;
}

async function parseError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('retry-after');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const error = body.error ?? {};
    return new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : CLIENT_ERROR_CODES.unreadable,
      typeof error.message === 'string' ? error.message : response.statusText,
      typeof error.field === 'string' ? error.field : undefined,
      retryAfter,
    );
  } catch {
    return new ApiError(response.status, CLIENT_ERROR_CODES.unreadable, response.statusText, undefined, retryAfter);
  }
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, CLIENT_ERROR_CODES.network, 'The server could not be reached.');
  }
}

/** One shared dialog even when several calls need re-auth at once. */
function confirmOnce(): Promise<boolean> {
  if (!confirmIdentity) return Promise.resolve(false);
  pendingConfirmation ??= confirmIdentity().finally(() => {
    pendingConfirmation = null;
  });
  return pendingConfirmation;
}

export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options.body);
  if (response.ok) return readBody<T>(response);

  let error = await parseError(response);
  if (error.status === 403 && error.code === 'reauth_required' && !options.skipReauth) {
    if (!(await confirmOnce())) {
      throw new ApiError(403, CLIENT_ERROR_CODES.reauthCancelled, 'Confirmation was cancelled.');
    }
    response = await send(method, path, options.body);
    if (response.ok) return readBody<T>(response);
    error = await parseError(response);
  }
  if (error.status === 401 && !options.skipSignInRedirect && !INPUT_401_CODES.has(error.code)) {
    csrfToken = null;
    onSignedOut?.();
  }
  throw error;
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, CLIENT_ERROR_CODES.unreadable, 'The answer could not be read.');
  }
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => apiRequest<T>('DELETE', path, options),
};
