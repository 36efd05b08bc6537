import { defineConfig } from 'vitest/config';

/** Browser tests: a real server process, real Chromium. `npm run test:e2e` builds first. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
