import path from 'node:path';

/** Everything Custos reads from its environment, parsed once at start. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection string; SQLite at `sqlitePath` when absent. */
  databaseUrl: string | null;
  sqlitePath: string;
  /** The address users reach the server at; decides cookie flags and printed links. */
  publicUrl: string;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** API requests per minute per client IP. */
  rateLimitPerMinute: number;
  /** Where alert mail goes out (smtp:// or smtps://); null: no mail is sent. */
  smtpUrl: string | null;
  /** The From of the mail Custos sends. */
  mailFrom: string;
  /** Where the server's scheduled backups go (`CUSTOS_BACKUP_DIR`, default `<dataDir>/backups`). */
  backupDir: string;
  /** A second folder each successful backup is copied to (`CUSTOS_BACKUP_COPY_DIR`); null: none. */
  backupCopyDir: string | null;
}

export class ConfigError extends Error {}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const dataDir = path.resolve(env.CUSTOS_DATA_DIR || './data');
  const databaseUrl = env.CUSTOS_DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('CUSTOS_DATABASE_URL must start with postgres:// or postgresql://');
  }
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (env.CUSTOS_PUBLIC_URL || `http://${displayHost}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new ConfigError('CUSTOS_PUBLIC_URL must start with http:// or https://');
  const smtpUrl = env.CUSTOS_SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('CUSTOS_SMTP_URL must start with smtp:// or smtps://');
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    sqlitePath: path.join(dataDir, 'custos.sqlite'),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: env.CUSTOS_TRUST_PROXY === 'true',
    logLevel: env.CUSTOS_LOG_LEVEL || 'info',
    sessionIdleMinutes: readInt(env, 'CUSTOS_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: readInt(env, 'CUSTOS_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    rateLimitPerMinute: readInt(env, 'CUSTOS_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000_000),
    smtpUrl,
    mailFrom: env.CUSTOS_MAIL_FROM || `Custos <custos@${/^https?:\/\/([^/:]+)/.exec(publicUrl)?.[1] ?? 'localhost'}>`,
    backupDir: path.resolve(env.CUSTOS_BACKUP_DIR || path.join(dataDir, 'backups')),
    backupCopyDir: env.CUSTOS_BACKUP_COPY_DIR ? path.resolve(env.CUSTOS_BACKUP_COPY_DIR) : null,
  };
}
