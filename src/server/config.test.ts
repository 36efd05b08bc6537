import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to 127.0.0.1:3000, ./data and SQLite', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: null, publicUrl: 'http://127.0.0.1:3000', secureCookies: false });
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config).toMatchObject({ sessionIdleMinutes: 30, sessionAbsoluteHours: 12, rateLimitPerMinute: 600 });
  });

  it('reads HOST, PORT, CUSTOS_DATA_DIR, CUSTOS_DATABASE_URL and CUSTOS_PUBLIC_URL', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      CUSTOS_DATA_DIR: '/srv/custos',
      CUSTOS_DATABASE_URL: 'postgres://u:p@db:5432/custos',
      CUSTOS_PUBLIC_URL: 'https://crm.example.com/',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, dataDir: '/srv/custos', databaseUrl: 'postgres://u:p@db:5432/custos', publicUrl: 'https://crm.example.com', secureCookies: true });
  });

  it('refuses values that make no sense, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ CUSTOS_DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ CUSTOS_SESSION_IDLE_MINUTES: '0' })).toThrow(/CUSTOS_SESSION_IDLE_MINUTES/);
  });
});
