import { describe, expect, it } from 'vitest';
import { backupWarning, formatBytes, progressPercent } from './backup-format.js';

describe('backup page formatting', () => {
  it('shows progress only when the total is known', () => {
    expect(progressPercent(null)).toBeNull();
    expect(progressPercent({ phase: 'dump', bytes: 10, totalBytes: null })).toBeNull();
    expect(progressPercent({ phase: 'encrypt', bytes: 50, totalBytes: 200 })).toBe(25);
    expect(progressPercent({ phase: 'encrypt', bytes: 300, totalBytes: 200 })).toBe(100);
  });

  it('formats sizes', () => {
    expect(formatBytes(null, 'en')).toBe('—');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3, 'en')).toBe('5 GiB');
  });

  it('warns about a failed last run before an overdue schedule', () => {
    expect(backupWarning({ overdue: false, runs: [] })).toBeNull();
    expect(backupWarning({ overdue: true, runs: [] })).toBe('overdue');
    expect(backupWarning({ overdue: true, runs: [{ status: 'running' }, { status: 'failed' }] })).toBe('failed');
    expect(backupWarning({ overdue: false, runs: [{ status: 'succeeded' }, { status: 'failed' }] })).toBeNull();
  });
});
