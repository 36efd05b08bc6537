import { defineConfig } from 'vitest/config';

/** Crash safety: the built server killed with SIGKILL, round after round. `npm run test:crash` builds first. */
export default defineConfig({
  test: {
    include: ['test/crash/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 40 * 60_000,
    hookTimeout: 60_000,
  },
});
