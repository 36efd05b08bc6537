import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditService } from '../audit/service.js';
import type { AuthContext } from '../auth/context.js';
import { authorizeAdmin, authorizeCapability } from '../auth/context.js';
import type { Capability } from '../../shared/permissions.js';
import { csrfTokenFor, safeEqual } from '../auth/secrets.js';
import type { AuthService } from '../auth/service.js';
import { forbidden, unauthorized } from './errors.js';

/**
 * Who may call a route. Routes without an `auth` setting need a signed-in user: a new
 * endpoint is closed until someone opens it on purpose. `admin` needs the manageUsers
 * capability; `{ capability }` the one named (e.g. manageSettings for the workspace's settings,
 * fields and keys).
 */
export type RouteAccess = 'public' | 'user' | 'admin' | { capability: Capability };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAccess;
    /** Answered even while the user still has to set up the second factor the workspace requires. */
    duringMfaEnrollment?: boolean;
    /** Polled by the app in the background (notifications): not a sign of the user's presence, so it does not keep the session from idling out. */
    passive?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export interface CookieSettings {
  name: string;
  secure: boolean;
  maxAgeSeconds: number;
}

export function sessionCookieSettings(secure: boolean, absoluteHours: number): CookieSettings {
  // The __Host- prefix makes browsers refuse the cookie unless Secure, Path=/ and host-only.
  return { name: secure ? '__Host-custos_session' : 'custos_session', secure, maxAgeSeconds: absoluteHours * 3600 };
}

export function setSessionCookie(reply: FastifyReply, cookie: CookieSettings, token: string): void {
  reply.setCookie(cookie.name, token, { httpOnly: true, sameSite: 'strict', secure: cookie.secure, path: '/', maxAge: cookie.maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, cookie: CookieSettings): void {
  reply.clearCookie(cookie.name, { httpOnly: true, sameSite: 'strict', secure: cookie.secure, path: '/' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originOf(request: FastifyRequest) {
  const agent = request.headers['user-agent'];
  return { ip: request.ip || null, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
}

/** Resolves the caller of every /api request and enforces the route's access setting and CSRF. */
export function installAuthentication(app: FastifyInstance, deps: { auth: AuthService; audit: Pick<AuditService, 'record'>; cookie: CookieSettings }): void {
  app.decorateRequest('auth', null);

  // Before validation: a caller who may not use a route learns nothing about its schema.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const config = request.routeOptions.config;
    // Outside /api there are only the web app's files; inside, closed unless opened.
    const access: RouteAccess = config.auth ?? (request.url.startsWith('/api/') ? 'user' : 'public');
    if (access === 'public') return;

    const origin = originOf(request);
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer (\S+)$/.exec(header);
      request.auth = match ? await deps.auth.authenticateToken(match[1]!, origin) : null;
      if (!request.auth) throw unauthorized('invalid_token', 'The API token is not valid, expired or revoked.');
    } else {
      const token = request.cookies[deps.cookie.name];
      request.auth = token ? await deps.auth.authenticateSession(token, origin, { touch: !config.passive }) : null;
      if (request.auth && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(request.auth.sessionToken!))) {
          await deps.audit.record(request.auth.actor, { action: 'auth.csrf_rejected', outcome: 'denied', metadata: { method: request.method } });
          throw forbidden('csrf_failed', 'The request did not carry this session’s CSRF token. Reload the page and try again.');
        }
      }
    }

    if (!request.auth) throw unauthorized();
    if (request.auth.mfaEnrollmentRequired && !config.duringMfaEnrollment) {
      throw forbidden('mfa_enrollment_required', 'Your workspace requires a second factor: set one up in your account first.');
    }
    if (access === 'admin') authorizeAdmin(request.auth.actor);
    else if (typeof access === 'object') authorizeCapability(request.auth.actor, access.capability);
  });
}

/** The caller of a route that is not public; the hook above guarantees it is there. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized();
  return request.auth;
}
