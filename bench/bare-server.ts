// The baseline: a bare Fastify 5 server with the same route as Custos and nothing else
// (no helmet, cookies, rate limit, authentication or logging). Started by run.ts as a
// child process:
//   BARE_MODE=static              answers a constant JSON body
//   BARE_MODE=sqlite BARE_SQLITE_PATH=…  answers one row read with a prepared better-sqlite3
//                                 query per request, on a SQLite file in WAL mode like Custos
//   BARE_MODE=customers BARE_SQLITE_PATH=… BARE_WORKSPACE_ID=…
//                                 GET /api/customers/:id: the customer row read by
//                                 (workspace_id, id) with a prepared statement from a copy of a
//                                 seeded Custos database, answered as it is stored (blobs as
//                                 base64), 404 when there is none
//   BARE_MODE=customers-pg BARE_DATABASE_URL=… BARE_WORKSPACE_ID=…
//                                 the same route reading the seeded PostgreSQL database through
//                                 a pg pool as big as Custos's (10), one parameterized query
// It prints `listening at <url>` once ready and exits when its parent closes stdin.
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

const me = {
  user: { id: '0197a0c4-7f3e-7b1a-9c2d-5e6f7a8b9c0d', email: 'bench@example.com', displayName: 'bench', role: 'owner', status: 'active' },
  workspace: { id: '0197a0c4-7f3e-7b1a-9c2d-000000000001', name: 'Bench' },
  authMethod: 'session',
  policies: { manageUsers: true, manageSettings: true },
};

function staticAnswer(): () => object {
  return () => me;
}

function sqliteAnswer(file: string): () => object {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL, display_name TEXT NOT NULL)');
  db.prepare('INSERT OR REPLACE INTO users (id, email, display_name) VALUES (?, ?, ?)').run(me.user.id, me.user.email, me.user.displayName);
  const findUser = db.prepare<[string], { id: string; email: string; display_name: string }>('SELECT id, email, display_name FROM users WHERE id = ?');
  return () => {
    const row = findUser.get(me.user.id);
    if (!row) throw new Error('the bench user row is missing');
    return { ...me, user: { ...me.user, id: row.id, email: row.email, displayName: row.display_name } };
  };
}

interface CustomerRow {
  [column: string]: unknown;
}

/** The raw customer row, as the bare baseline of GET /api/customers/:id (no decryption, no audit). */
function customerReader(file: string, workspaceId: string): (id: string) => CustomerRow | undefined {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  // The same query as Custos's findCustomer (vault/store.ts), prepared once.
  const findCustomer = db.prepare<[string, string], CustomerRow>('SELECT * FROM customers WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL');
  return (id) => {
    const row = findCustomer.get(workspaceId, id);
    if (!row) return undefined;
    for (const [column, value] of Object.entries(row)) if (Buffer.isBuffer(value)) row[column] = value.toString('base64');
    return row;
  };
}

/** The same on PostgreSQL: Custos's query (vault/store.ts findCustomer) through a pool of Custos's size. */
function pgCustomerReader(url: string, workspaceId: string): { read: (id: string) => Promise<CustomerRow | undefined>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    async read(id) {
      const { rows } = await pool.query<CustomerRow>('SELECT * FROM customers WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL', [workspaceId, id]);
      const row = rows[0];
      if (!row) return undefined;
      for (const [column, value] of Object.entries(row)) if (Buffer.isBuffer(value)) row[column] = value.toString('base64');
      return row;
    },
    close: () => pool.end(),
  };
}

const mode = process.env.BARE_MODE;
const sqlitePath = process.env.BARE_SQLITE_PATH;
const databaseUrl = process.env.BARE_DATABASE_URL;
const workspaceId = process.env.BARE_WORKSPACE_ID;
if (mode !== 'static' && !(mode === 'sqlite' && sqlitePath) && !(mode === 'customers' && sqlitePath && workspaceId) && !(mode === 'customers-pg' && databaseUrl && workspaceId)) {
  process.stderr.write(
    'bare-server: set BARE_MODE=static, BARE_MODE=sqlite with BARE_SQLITE_PATH, BARE_MODE=customers with BARE_SQLITE_PATH and BARE_WORKSPACE_ID, or BARE_MODE=customers-pg with BARE_DATABASE_URL and BARE_WORKSPACE_ID\n',
  );
  process.exit(2);
}

const app = Fastify({ logger: false });
if (mode === 'customers') {
  const readCustomer = customerReader(sqlitePath!, workspaceId!);
  app.get<{ Params: { id: string } }>('/api/customers/:id', async (request, reply) => {
    const row = readCustomer(request.params.id);
    return row ?? reply.status(404).send({ code: 'customer_not_found' });
  });
} else if (mode === 'customers-pg') {
  const customers = pgCustomerReader(databaseUrl!, workspaceId!);
  app.addHook('onClose', () => customers.close());
  app.get<{ Params: { id: string } }>('/api/customers/:id', async (request, reply) => {
    const row = await customers.read(request.params.id);
    return row ?? reply.status(404).send({ code: 'customer_not_found' });
  });
} else {
  const answer = mode === 'sqlite' ? sqliteAnswer(sqlitePath!) : staticAnswer();
  app.get('/api/auth/me', async () => answer());
}
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (typeof address !== 'object' || !address) throw new Error('bare-server: no listening address');
process.stdout.write(`listening at http://127.0.0.1:${address.port}\n`);

process.stdin.resume();
process.stdin.once('end', () => void app.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
