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
  statusCodes: Record<string, number>;
}

/** Any answer but 2xx, or any connection error, makes the figures meaningless. */
export function problemsOf(figures: Figures): string[] {
  const problems: string[] = [];
  if (figures.non2xx > 0) problems.push(`${figures.non2xx} non-2xx responses (status codes: ${JSON.stringify(figures.statusCodes)})`);
  if (figures.errors > 0) problems.push(`${figures.errors} connection errors`);
  if (figures.timeouts > 0) problems.push(`${figures.timeouts} timeouts`);
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
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
  };
}

/**
 * Loads `url` with autocannon: a warm-up (JIT, SQLite page cache, connection set-up) whose
 * figures are only checked for errors, then the measured run.
 */
export async function measure(url: string, headers: Record<string, string>, settings: LoadSettings): Promise<Figures> {
  const options = { url, headers, connections: settings.connections, pipelining: settings.pipelining };
  if (settings.warmupSeconds > 0) {
    const warmup = figuresOf(await autocannon({ ...options, duration: settings.warmupSeconds }));
    const problems = problemsOf(warmup);
    if (problems.length) throw new Error(`warm-up of ${url} failed: ${problems.join('; ')}`);
  }
  return figuresOf(await autocannon({ ...options, duration: settings.seconds }));
}
