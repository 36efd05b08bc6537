// Starts bench/bare-server.ts (the baseline) as a child process in one of its modes.
import { fileURLToPath } from 'node:url';
import { repoRoot } from './common.js';
import { startServer, type ServerProcess } from './server-process.js';

export type BareMode = 'static' | 'sqlite' | 'customers' | 'customers-pg';

/**
 * `env` carries the mode's settings (BARE_SQLITE_PATH or BARE_DATABASE_URL, BARE_WORKSPACE_ID); `readyPath` is a
 * path it answers with 2xx once it can take load.
 */
export function startBare(mode: BareMode, env: Record<string, string>, readyPath: string): Promise<ServerProcess> {
  return startServer({
    name: `bare-server (${mode})`,
    args: [fileURLToPath(new URL('./bare-server.js', import.meta.url))],
    cwd: repoRoot,
    env: { ...process.env, ...env, BARE_MODE: mode },
    readyLine: /listening at (\S+)/,
    readyPath,
  });
}
