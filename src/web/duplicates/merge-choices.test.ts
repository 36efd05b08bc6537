import { describe, expect, it } from 'vitest';
import type { RegistryField } from '../customers/customers-api.js';
import { defaultChoices, defaultSurvivor, mergeRows } from './merge-choices.js';

const field = (key: string) => ({ key, kind: 'person', type: 'text', labels: { en: key, 'zh-CN': key } }) as unknown as RegistryField;
const fields = ['name', 'email', 'phone', 'city', 'tags'].map(field);

describe('merge choices', () => {
  it('offers the fields either side has, and defaults to the survivor’s value, else the merged one’s', () => {
    const rows = mergeRows(fields, { name: '王伟', email: 'a@example.com', tags: [] }, { name: '王偉', phone: '+8613800138000', tags: [] });
    expect(rows.map((r) => r.field.key)).toEqual(['name', 'email', 'phone']);
    expect(defaultChoices(rows)).toEqual({ name: 'survivor', email: 'survivor', phone: 'merged' });
    expect(mergeRows(fields, { city: '北京' }, { city: '北京' })[0]!.same).toBe(true);
  });

  it('keeps the customer created first', () => {
    const older = { id: 'b', createdAt: '2026-01-01T00:00:00.000Z' };
    const newer = { id: 'a', createdAt: '2026-02-01T00:00:00.000Z' };
    expect(defaultSurvivor(newer, older)).toEqual([older, newer]);
  });
});
