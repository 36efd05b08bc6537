import { spawn } from 'node:child_process';

export interface ServerProcess {
  /** The base URL the server printed, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The server's process id (its memory is read from /proc/<pid>/status). */
  pid: number;
  /** Everything the server wrote so far (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerLaunch {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Matches the line the server prints once listening; group 1 is its base URL. */
  readyLine: RegExp;
  /** A path answered with 2xx once the server can take load, e.g. /healthz */
  readyPath: string;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a server as a child process and resolves once it answers `readyPath`. */
export async function startServer(launch: ServerLaunch): Promise<ServerProcess> {
  // stdin stays open as a pipe: the bare server exits when it closes (if the bench dies).
  const child = spawn(process.execPath, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Last resort when the bench exits without stopping it (a thrown error, Ctrl-C).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    const url = await waitUntilReady(launch, () => output, () => child.exitCode !== null || child.signalCode !== null);
    return { url, pid: child.pid!, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(launch: ServerLaunch, output: () => string, hasExited: () => boolean): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const fail = (why: string) => new Error(`${launch.name} ${why}. Its output:\n${output()}`);
  let url: string | undefined;
  while (!url) {
    if (hasExited()) throw fail('exited before it was ready');
    if (Date.now() > deadline) throw fail('did not print its address in time');
    url = launch.readyLine.exec(output())?.[1];
    if (!url) await sleep(50);
  }
  for (;;) {
    if (hasExited()) throw fail('exited before it was ready');
    const ok = await fetch(url + launch.readyPath).then(
      async (response) => (await response.arrayBuffer(), response.ok),
      () => false,
    );
    if (ok) return url;
    if (Date.now() > deadline) throw fail(`did not answer ${launch.readyPath} in time`);
    await sleep(50);
  }
}
