// The baseline: a bare Fastify 5 server with the same route as Custos and nothing else
// (no helmet, cookies, rate limit, authentication or logging). Started by run.ts as a
// child process:
//   BARE_MODE=static              answers a constant JSON body
//   BARE_MODE=sqlite BARE_SQLITE_PATH=…  answers one row read with a prepared better-sqlite3
//                                 query per request, on a SQLite file in WAL mode like Custos
// It prints `listening at <url>` once ready and exits when its parent closes stdin.
import Database from 'better-sqlite3';
import Fastify from 'fastify';

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

const mode = process.env.BARE_MODE;
const sqlitePath = process.env.BARE_SQLITE_PATH;
if (mode !== 'static' && !(mode === 'sqlite' && sqlitePath)) {
  process.stderr.write('bare-server: set BARE_MODE=static, or BARE_MODE=sqlite with BARE_SQLITE_PATH\n');
  process.exit(2);
}
const answer = mode === 'sqlite' ? sqliteAnswer(sqlitePath!) : staticAnswer();

const app = Fastify({ logger: false });
app.get('/api/auth/me', async () => answer());
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (typeof address !== 'object' || !address) throw new Error('bare-server: no listening address');
process.stdout.write(`listening at http://127.0.0.1:${address.port}\n`);

process.stdin.resume();
process.stdin.once('end', () => void app.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
