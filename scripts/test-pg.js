// `npm run test:pg`: the whole suite against a real PostgreSQL server.
import { spawnSync } from 'node:child_process';

const url = process.env.CUSTOS_TEST_DATABASE_URL || 'postgres://custos:custos@127.0.0.1:5432/custos_test';
process.stdout.write(`Running the tests against ${url.replace(/:[^:@/]+@/, ':***@')}\n`);
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CUSTOS_TEST_DATABASE_URL: url },
});
process.exit(result.status ?? 1);
