import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { migrateToLatest, openDatabase, type Database } from './db/database.js';
import type { KeyProvider } from './keys/key-provider.js';
import { createAuditService } from './audit/service.js';
import { createAuditIntegrity } from './audit/integrity.js';
import { createMfaService } from './auth/mfa-service.js';
import { createAuthService } from './auth/service.js';
import { createThrottle } from './auth/throttle.js';
import { createTokenService } from './auth/token-service.js';
import { createUserService } from './users/service.js';
import { createWorkspaceService } from './workspaces/service.js';
import { installAuthentication, sessionCookieSettings } from './http/authenticate.js';
import { installErrorHandler } from './http/error-handler.js';
import { loggerOptions } from './http/logging.js';
import { installOpenApi } from './http/openapi.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { authRoutes } from './auth/routes.js';
import { userRoutes } from './users/routes.js';
import { workspaceRoutes } from './workspaces/routes.js';
import { customerRoutes } from './customers/routes.js';
import { addressRoutes } from './customers/address-routes.js';
import { ownerRoutes } from './customers/owner-routes.js';
import { historyRoutes } from './customers/history-routes.js';
import { viewRoutes } from './views/routes.js';
import { createViewService } from './views/service.js';
import { auditSearchRoutes } from './audit-search/routes.js';
import { createAuditSearch } from './audit-search/service.js';
import { keyRoutes } from './keys/routes.js';
import { backupRecoveryRoutes } from './backup/recover-routes.js';
import { qualityRoutes } from './quality/routes.js';
import { createQualityService } from './quality/service.js';
import { createKeyring } from './vault/keyring.js';
import { createVaultGateway } from './vault/gateway.js';
import { createKeyRotation } from './vault/key-rotation.js';
import { createFieldRegistry } from './vault/field-registry.js';
import { accessRoutes } from './access/routes.js';
import { caseRoutes } from './customers/case-routes.js';
import { createAccessService } from './access/service.js';
import { createBreakGlass } from './access/break-glass.js';
import { createAccessResolver } from './access/resolve.js';
import { createNotificationService } from './notifications/service.js';
import { notificationRoutes } from './notifications/routes.js';
import { createAlertService } from './alerts/service.js';
import { alertRoutes } from './alerts/routes.js';
import { createBackupService } from './backup/service.js';
import { createBackupSchedule } from './backup/schedule.js';
import { backupRoutes } from './backup/routes.js';
import { createExportService } from './exports/service.js';
import { exportRoutes } from './exports/routes.js';
import { createImportService } from './imports/service.js';
import { importRoutes } from './imports/routes.js';
import { duplicateRoutes } from './duplicates/routes.js';
import { createMailer } from './mail/mailer.js';
import { healthRoutes } from './http/health-routes.js';
import type { Services } from './http/route-deps.js';

export interface AppOptions {
  config: Config;
  keys: KeyProvider;
  /** An open database; the app opens one from the config when absent. */
  database?: Database;
  clock?: Clock;
  /** Pino options; false silences the log (tests). */
  logger?: boolean;
  /** Requests per minute per IP across the API; the config's value when absent. */
  rateLimitPerMinute?: number;
}


function webRoot(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/server → ../../dist/web ; dist/src/server → ../../web
  for (const candidate of [path.resolve(here, '../../dist/web'), path.resolve(here, '../../web')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/** The composition root: config → database → keys → services → routes. */
export async function buildApp(options: AppOptions) {
  const { config, keys } = options;
  const clock = options.clock ?? systemClock;
  // A server of its own database checkpoints it off its thread (db/checkpointer.ts).
  const database = options.database ?? openDatabase({ ...config, sqliteCheckpointer: true });
  await migrateToLatest(database.db);
  const db = database.db;

  const sessions = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours };
  const audit = createAuditService({ db, clock });
  const auditIntegrity = createAuditIntegrity({ db, clock, keys, audit });
  const mfa = createMfaService({ db, clock, audit, keys });
  const throttle = createThrottle({ db, clock });
  const access = createAccessService({ db, clock, audit });
  const notifications = createNotificationService({ db, clock });
  const breakGlass = createBreakGlass({ db, clock, audit, access, notifications });
  const auth = createAuthService({ db, clock, audit, mfa, throttle, sessions, resolveAccess: createAccessResolver({ access, breakGlass }) });
  const tokens = createTokenService({ db, clock, audit });
  const users = createUserService({ db, clock, audit, auth, publicUrl: config.publicUrl, isRole: (workspaceId, key) => access.isRole(workspaceId, key) });
  const workspaces = createWorkspaceService({ db, clock, audit, users, sessions });
  const keyring = createKeyring({ keys, clock });
  const fields = createFieldRegistry({ db, clock, audit });
  const vault = createVaultGateway({ db, clock, audit, keyring, fields, phoneRegion: (workspaceId) => workspaces.phoneRegion(workspaceId) });
  const keyRotation = createKeyRotation({ db, keyring, audit, clock });
  const mailer = createMailer({ url: config.smtpUrl, from: config.mailFrom });
  const alerts = createAlertService({ db, clock, audit, access, notifications, auth, mailer, publicUrl: config.publicUrl });
  const backups = createBackupService({ database, databaseUrl: config.databaseUrl, dataDir: config.dataDir, keys, clock, audit });
  const backupSchedule = createBackupSchedule({ db, clock, backups, dir: config.backupDir, copyDir: config.backupCopyDir, access, notifications, mailer, publicUrl: config.publicUrl, audit });
  const exports = createExportService({ db, clock, vault, audit, keys, dir: path.join(config.dataDir, 'exports') });
  const imports = createImportService({ db, clock, audit, keys, vault, fields, dir: path.join(config.dataDir, 'imports'), onFailure: (error) => app.log.error({ err: error }, 'an import failed') });
  // The error's name only: a driver's message can quote the values it choked on.
  const quality = createQualityService({ db, clock, vault, onFailure: (error) => app.log.error({ errType: error instanceof Error ? error.name : typeof error }, 'a data-quality report failed') });
  const services: Services = { audit, auditIntegrity, mfa, auth, tokens, users, workspaces, vault, keyRotation, fields, access, breakGlass, notifications, alerts, backups, backupSchedule, exports, imports, quality };

  const app: FastifyInstance = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  /** Every route as registered: tests walk it to check that none is open by accident. */
  const routes: { method: string; url: string; access: string | undefined }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: (route.config as { auth?: string } | undefined)?.auth });
  });

  installErrorHandler(app, {
    onDenied: (request, code) =>
      request.auth ? audit.record(request.auth.actor, { action: 'access.denied', outcome: 'denied', metadata: { code, route: request.routeOptions.url ?? 'unknown' } }) : undefined,
  });
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: { code: 'rate_limited', message: `Too many requests. Try again in ${Math.ceil(context.ttl / 1000)} seconds.` },
    }),
  });

  const cookieSettings = sessionCookieSettings(config.secureCookies, config.sessionAbsoluteHours);
  installAuthentication(app, { auth, audit, cookie: cookieSettings });
  await installOpenApi(app);

  const deps = { services, cookie: cookieSettings, clock };
  await app.register(healthRoutes, { db });
  await app.register(workspaceRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(customerRoutes, deps);
  await app.register(accessRoutes, deps);
  await app.register(caseRoutes, deps);
  await app.register(notificationRoutes, deps);
  await app.register(alertRoutes, deps);
  await app.register(addressRoutes, deps);
  await app.register(ownerRoutes, deps);
  await app.register(historyRoutes, deps);
  await app.register(viewRoutes, { ...deps, views: createViewService({ db, clock, audit, fields }) });
  await app.register(auditSearchRoutes, { ...deps, search: createAuditSearch({ db, clock, audit }) });
  await app.register(keyRoutes, deps);
  await app.register(backupRoutes, deps);
  await app.register(exportRoutes, deps);
  await app.register(importRoutes, deps);
  await app.register(duplicateRoutes, deps);
  await app.register(backupRecoveryRoutes, { ...deps, keys, backupDir: config.backupDir, databaseUrl: config.databaseUrl });
  await app.register(qualityRoutes, deps);

  const root = webRoot();
  if (root) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes get the app; a missing asset (a path with an extension) stays a 404.
    const path = request.url.split('?')[0] ?? '';
    const wantsPage = request.method === 'GET' && !path.startsWith('/api/') && !/\.[A-Za-z0-9]+$/.test(path) && root !== null;
    if (wantsPage) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
  });

  app.addHook('onClose', async () => {
    if (!options.database) await database.close();
  });

  return { app, services, database, clock, routes };
}
