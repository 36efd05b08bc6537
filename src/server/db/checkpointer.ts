import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer moves committed WAL frames into the database file. */
export const CHECKPOINT_EVERY_MS = 2_000;
/**
 * The WAL size (pages) at which a connection with a checkpointer checkpoints by itself, as
 * SQLite does every 1,000 pages by default: only if the checkpointer fell far behind.
 */
export const FALLBACK_CHECKPOINT_PAGES = 16_384;

// Plain CommonJS, evaluated as the worker's whole program: no file of its own to find in
// `src` (tests) and `dist` (the build) alike. better-sqlite3 is loaded from the path the main
// thread resolved.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.path, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = FULL');
// A checkpoint reads frames from the WAL and writes pages: it needs next to no page cache.
db.pragma('cache_size = -512');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.code ? error.code : error) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A process warning (the error code only) when checkpoints start failing, and again only when the code changes. */
function warnOnce(): (code: string) => void {
  let last: string | null = null;
  return (code) => {
    if (code === last) return;
    last = code;
    process.emitWarning(`SQLite checkpoints by the checkpointer thread fail (${code}); the server's own checkpoints take over at ${FALLBACK_CHECKPOINT_PAGES} WAL pages`);
  };
}

export interface Checkpointer {
  /** Stops the worker and waits for it to close its connection. */
  stop(): Promise<void>;
}

/**
 * Checkpoints a SQLite database in WAL mode from a worker thread with a connection of its own,
 * so the server's thread never does: a checkpoint copies the pages committed since the last one
 * from the WAL into the database file and fsyncs both, which on the server's thread (SQLite's
 * automatic checkpoint, run inside the commit that crossed 1,000 pages) holds every request
 * for milliseconds to tens of milliseconds. PASSIVE: it never waits for a lock, never blocks a
 * reader or a writer, and copies what no open read transaction still needs; durability is
 * SQLite's own (the WAL synced before the copy, the database file after it).
 *
 * The connection it relieves keeps an automatic checkpoint at FALLBACK_CHECKPOINT_PAGES, so the
 * WAL stays bounded even if the worker stops. `onFailure` hears a checkpoint's error code
 * (by default a process warning, once per code).
 */
export function startCheckpointer(sqlitePath: string, everyMs = CHECKPOINT_EVERY_MS, onFailure: (code: string) => void = warnOnce()): Checkpointer {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path: sqlitePath, everyMs },
  });
  // The process's lifetime is the server's, not the worker's.
  worker.unref();
  worker.on('message', (message: { failed?: string }) => message.failed && onFailure(message.failed));
  worker.on('error', (error) => onFailure(String((error as { code?: string }).code ?? error.message)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held until it has exited: a process with nothing else left to do would end (exit code
      // 13, a top-level await unsettled) while waiting for an unreferenced worker.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
