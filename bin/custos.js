#!/usr/bin/env node
// The `custos` command: runs the compiled CLI (npm run build makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/src/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('custos: not built yet. Run `npm run build` (or `npm start`) first.\n');
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(cli).href);
process.exit(await runCli(process.argv.slice(2)));
