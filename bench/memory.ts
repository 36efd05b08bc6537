// A process's memory as the kernel counts it: /proc/<pid>/status (Linux only; elsewhere
// every figure is null).
import fs from 'node:fs';

export interface Memory {
  /** VmRSS: resident set size now. */
  rssBytes: number;
  /** VmHWM: the highest resident set size since the process started. */
  hwmBytes: number;
}

/** The process's memory now, or null when it has exited or there is no /proc. */
export function readMemory(pid: number): Memory | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kilobytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  };
  const rssBytes = kilobytes('VmRSS');
  const hwmBytes = kilobytes('VmHWM');
  return rssBytes === null || hwmBytes === null ? null : { rssBytes, hwmBytes };
}

export interface MemorySampler {
  /** Stops sampling; the highest VmRSS seen and the last VmHWM read (null without /proc). */
  stop(): { maxRssBytes: number | null; hwmBytes: number | null; samples: number };
}

/** Reads the process's memory every `intervalMs` until stopped (during a load). */
export function sampleMemory(pid: number, intervalMs = 200): MemorySampler {
  let maxRssBytes: number | null = null;
  let hwmBytes: number | null = null;
  let samples = 0;
  const sample = () => {
    const memory = readMemory(pid);
    if (!memory) return;
    samples++;
    maxRssBytes = Math.max(maxRssBytes ?? 0, memory.rssBytes);
    hwmBytes = memory.hwmBytes;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { maxRssBytes, hwmBytes, samples };
    },
  };
}
