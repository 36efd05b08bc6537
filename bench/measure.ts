import http from 'node:http';
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  seconds: number;
}

export interface Figures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx answers whose body failed the run's check (only counted when there is one). */
  mismatches: number;
  statusCodes: Record<string, number>;
}

/** Any answer but 2xx, or any connection error, makes the figures meaningless. */
export function problemsOf(figures: Pick<Figures, 'non2xx' | 'statusCodes' | 'errors' | 'timeouts' | 'mismatches' | 'requests'>): string[] {
  const problems: string[] = [];
  if (figures.non2xx > 0) problems.push(`${figures.non2xx} non-2xx responses (status codes: ${JSON.stringify(figures.statusCodes)})`);
  if (figures.errors > 0) problems.push(`${figures.errors} connection errors`);
  if (figures.timeouts > 0) problems.push(`${figures.timeouts} timeouts`);
  if (figures.mismatches > 0) problems.push(`${figures.mismatches} answers with an unexpected body`);
  if (figures.requests === 0) problems.push('no request completed');
  return problems;
}

function figuresOf(result: autocannon.Result): Figures {
  return {
    requestsPerSecond: result.requests.mean,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
  };
}

export interface Requests {
  /**
   * The path (and query) of each request in turn, shared by all connections: every request
   * asks for the next one, so 64 connections do not walk the same list in step.
   */
  nextPath?: () => string;
  /** A check of each 2xx body; a failed one is counted as a mismatch and invalidates the run. */
  verifyBody?: (body: string) => boolean;
}

/**
 * Loads `url` with autocannon: a warm-up (JIT, SQLite page cache, connection set-up) whose
 * figures are only checked for errors, then the measured run.
 */
export async function measure(url: string, headers: Record<string, string>, settings: LoadSettings, requests: Requests = {}): Promise<Figures> {
  const { nextPath, verifyBody } = requests;
  const options: autocannon.Options = {
    url,
    headers,
    connections: settings.connections,
    pipelining: settings.pipelining,
    ...(nextPath ? { requests: [{ method: 'GET', setupRequest: (request: autocannon.Request) => ({ ...request, path: nextPath() }) }] } : {}),
    ...(verifyBody ? { verifyBody } : {}),
  };
  if (settings.warmupSeconds > 0) {
    const warmup = figuresOf(await autocannon({ ...options, duration: settings.warmupSeconds }));
    const problems = problemsOf(warmup);
    if (problems.length) throw new Error(`warm-up of ${url} failed: ${problems.join('; ')}`);
  }
  return figuresOf(await autocannon({ ...options, duration: settings.seconds }));
}

export interface LatencySettings {
  /** Requests in flight at once (each connection sends its next request when the last one answered). */
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LatencyFigures {
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP90Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  latencyMeanMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  statusCodes: Record<string, number>;
}

interface Answer {
  status: number;
  body: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

function get(agent: http.Agent, base: URL, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ agent, hostname: base.hostname, port: base.port, path, headers, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('socket', (socket) => socket.setNoDelay(true));
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'BENCH_TIMEOUT' })));
    request.on('error', reject);
  });
}

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

type PathRequests = Requests & { nextPath: () => string };

async function timedRun(base: URL, headers: Record<string, string>, requests: PathRequests, connections: number, seconds: number): Promise<LatencyFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const durations: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let mismatches = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const connection = async () => {
    while (performance.now() < deadline) {
      const path = requests.nextPath();
      const begin = process.hrtime.bigint();
      let answer: Answer;
      try {
        answer = await get(agent, base, path, headers);
      } catch (error) {
        if ((error as { code?: string }).code === 'BENCH_TIMEOUT') timeouts++;
        else errors++;
        return; // The run is invalid anyway; do not spin on a dead server.
      }
      const ms = Number(process.hrtime.bigint() - begin) / 1e6;
      statusCodes[answer.status] = (statusCodes[answer.status] ?? 0) + 1;
      if (answer.status < 200 || answer.status > 299) non2xx++;
      else {
        durations.push(ms);
        if (requests.verifyBody && !requests.verifyBody(answer.body)) mismatches++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(durations).sort();
  return {
    connections,
    requests: durations.length + non2xx,
    requestsPerSecond: (durations.length + non2xx) / elapsed,
    latencyP50Ms: percentile(sorted, 0.5),
    latencyP90Ms: percentile(sorted, 0.9),
    latencyP99Ms: percentile(sorted, 0.99),
    latencyMaxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    latencyMeanMs: durations.length ? durations.reduce((sum, d) => sum + d, 0) / durations.length : 0,
    non2xx,
    errors,
    timeouts,
    mismatches,
    statusCodes,
  };
}

/**
 * Latency at low concurrency, to the microsecond (autocannon's histogram has whole
 * milliseconds): `connections` keep-alive connections, each sending its next request once the
 * last one answered, timed from before the request is written until its body has arrived.
 * A warm-up first, checked for errors only. Only 2xx answers count towards the percentiles.
 */
export async function measureLatency(baseUrl: string, headers: Record<string, string>, settings: LatencySettings, requests: PathRequests): Promise<LatencyFigures> {
  const base = new URL(baseUrl);
  if (settings.warmupSeconds > 0) {
    const warmup = await timedRun(base, headers, requests, settings.connections, settings.warmupSeconds);
    const problems = problemsOf(warmup);
    if (problems.length) throw new Error(`warm-up of ${baseUrl}${requests.nextPath()} failed: ${problems.join('; ')}`);
  }
  return timedRun(base, headers, requests, settings.connections, settings.seconds);
}
