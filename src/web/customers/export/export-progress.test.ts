import { describe, expect, it } from 'vitest';
import { estimateParams, exportBody } from './exports-api.js';
import { etaParts, exportableColumns, progressPercent } from './export-progress.js';

const list = { q: ' Li ', kind: 'person' as const, filters: ['lifecycleStage:eq:lead'], sort: '-createdAt' };

describe('the export modal’s arithmetic', () => {
  it('shows progress as a percentage, full once completed', () => {
    expect(progressPercent({ status: 'running', progress: { done: 250, total: 1000, rate: 10, eta: 75 } })).toBe(25);
    expect(progressPercent({ status: 'running', progress: { done: 0, total: 0, rate: 0, eta: null } })).toBe(0);
    expect(progressPercent({ status: 'completed', progress: { done: 0, total: 0, rate: 0, eta: 0 } })).toBe(100);
  });

  it('splits the time left into minutes and seconds', () => {
    expect(etaParts(125)).toEqual({ minutes: 2, seconds: 5 });
    expect(etaParts(0.2)).toEqual({ minutes: 0, seconds: 1 });
    expect(etaParts(null)).toBeNull();
  });

  it('exports the field columns the list shows, not the kind or the dates', () => {
    expect(exportableColumns([{ key: 'name', fields: [{}] }, { key: 'kind', fields: [] }, { key: 'email', fields: [{}] }, { key: 'createdAt', fields: [] }])).toEqual(['name', 'email']);
  });

  it('asks the server with the list’s own query', () => {
    expect(estimateParams({ list, columns: ['name', 'email'] }).toString()).toBe('q=Li&kind=person&filter=lifecycleStage%3Aeq%3Alead&sort=-createdAt&column=name&column=email');
    expect(exportBody({ list: { q: '', kind: null, filters: [], sort: null }, columns: null }, 'csv', '  ', 'en')).toEqual({ format: 'csv', language: 'en' });
    expect(exportBody({ list, columns: ['name'] }, 'xlsx', ' audit ', 'zh-CN')).toEqual({
      format: 'xlsx',
      language: 'zh-CN',
      q: 'Li',
      kind: 'person',
      filters: ['lifecycleStage:eq:lead'],
      sort: '-createdAt',
      columns: ['name'],
      reason: 'audit',
    });
  });
});
