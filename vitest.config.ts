import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/crash/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    // On SQLite the tests wait on fsyncs (synchronous = FULL) more than on the CPU: on a 2-core
    // machine 3 workers took the suite from 280 s to 182 s; 4 were slower again (199 s). On
    // PostgreSQL the server's processes share the cores: 3 workers pushed tests past their
    // timeouts there, so it keeps Vitest's default.
    ...(process.env.CUSTOS_TEST_DATABASE_URL ? {} : { maxWorkers: Math.max(3, os.availableParallelism()) }),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
