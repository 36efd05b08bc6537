import { spawn, execFileSync, type ChildProcess } from 'node:child_process';

/**
 * PostgreSQL's own tools, run as child processes: `pg_dump` makes the image of the
 * installation's schema (plain SQL, in the snapshot the backup exported), `psql` replays it.
 * The connection's password goes through the environment (PGPASSWORD), never the command
 * line, which other users of the machine can read.
 */

/** Schemas Custos makes and restores into: plain identifiers, so they need no quoting anywhere. */
export const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PgToolError extends Error {}

/**
 * The same server and database, working in `schema`: the connection string's own `options`
 * would otherwise win over any set beside it (node-postgres lets the URL override).
 */
export function inSchema(databaseUrl: string, schema: string): string {
  if (!PG_SCHEMA_NAME.test(schema)) throw new PgToolError('schema names must be plain lower-case identifiers');
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

function connection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  // libpq reads only %-escapes: a space written `+` (as URLSearchParams writes it) would reach the server as a plus.
  const query = [...url.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  url.search = query ? `?${query}` : '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export function pgToolVersion(tool: 'pg_dump' | 'psql'): string {
  try {
    return execFileSync(tool, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new PgToolError(`${tool} is needed for PostgreSQL backups and was not found on the PATH (install the PostgreSQL client tools)`);
  }
}

/** The first error line a tool printed: its message, without the CONTEXT lines that can quote a row's data. */
function firstError(stderr: string): string {
  const line = stderr.split('\n').find((l) => /\b(ERROR|FATAL|error):/.test(l)) ?? stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/** A running tool: its exit, as a promise that rejects with its first error line. */
function exited(child: ChildProcess, tool: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (piece: Buffer) => {
    if (stderr.length < 16_384) stderr += piece.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new PgToolError(`${tool} could not start: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new PgToolError(`${tool} failed (${signal ?? `exit ${code}`}): ${firstError(stderr) || 'no message'}`));
    });
  });
}

/**
 * Dumps `schema` as of the exported `snapshot` (the backup's transaction holds it open):
 * plain SQL, without owners, privileges or comments, so it replays into any schema of any
 * server as the restoring role.
 */
export function startPgDump(databaseUrl: string, schema: string, snapshot: string): { output: NodeJS.ReadableStream; done: Promise<void>; stop(): void } {
  const { dbname, env } = connection(databaseUrl);
  const child = spawn('pg_dump', ['--dbname', dbname, '--schema', schema, `--snapshot=${snapshot}`, '--format=plain', '--no-owner', '--no-privileges', '--no-comments', '--lock-wait-timeout=30000'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { output: child.stdout!, done: exited(child, 'pg_dump'), stop: () => child.kill('SIGKILL') };
}

/**
 * Replays SQL into a database through psql, stopping at the first error. The caller writes
 * `BEGIN;` first and `COMMIT;` only once it knows the whole input is good: if it stops before
 * (`abort`), psql is killed and reaches no COMMIT, so the server rolls everything back.
 */
export function startPsql(databaseUrl: string): { input: NodeJS.WritableStream; done: Promise<void>; abort(): void } {
  const { dbname, env } = connection(databaseUrl);
  const child = spawn('psql', ['--no-psqlrc', '--quiet', '--set', 'ON_ERROR_STOP=1', '--dbname', dbname], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const done = exited(child, 'psql');
  // A write after psql stopped (an SQL error) fails with EPIPE: `done` carries the reason.
  child.stdin!.on('error', () => undefined);
  return {
    input: child.stdin!,
    done,
    abort: () => {
      child.kill('SIGKILL');
    },
  };
}

const NEWLINE = 0x0a;
const END_OF_COPY = Buffer.from('\\.\n');

/**
 * A plain dump of schema `from`, rewritten to restore into schema `to`: pg_dump names every
 * object with its schema (`from.customers`), so those names are changed on the statement
 * lines, while the rows between `COPY … FROM stdin;` and `\.` pass through untouched (a
 * value that happens to hold the text is never altered). The `CREATE SCHEMA` line is dropped:
 * the restore makes the target schema itself. Works line by line, so memory stays at one
 * line (one row).
 */
export async function* retargetDump(dump: AsyncIterable<Buffer>, from: string, to: string): AsyncGenerator<Buffer> {
  if (!PG_SCHEMA_NAME.test(from) || !PG_SCHEMA_NAME.test(to)) throw new PgToolError('schema names must be plain lower-case identifiers');
  const qualified = new RegExp(`(?<![\\w$"])${from}\\.`, 'g');
  const createSchema = `CREATE SCHEMA ${from};\n`;
  let inCopy = false;
  const statement = (line: string): string => {
    if (line === createSchema) return '';
    if (line.startsWith('COPY ') && line.endsWith(' FROM stdin;\n')) inCopy = true;
    return from === to ? line : line.replace(qualified, `${to}.`);
  };
  let rest: Buffer = Buffer.alloc(0);
  for await (const piece of dump) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, piece]) : piece;
    const out: Buffer[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE, start); newline !== -1; newline = buffer.indexOf(NEWLINE, start)) {
      const line = buffer.subarray(start, newline + 1);
      start = newline + 1;
      if (inCopy) {
        out.push(line);
        if (line.equals(END_OF_COPY)) inCopy = false;
      } else {
        out.push(Buffer.from(statement(line.toString('utf8')), 'utf8'));
      }
    }
    rest = Buffer.from(buffer.subarray(start));
    if (out.length > 0) yield Buffer.concat(out);
  }
  if (rest.length > 0) yield inCopy ? rest : Buffer.from(statement(rest.toString('utf8')), 'utf8');
}
