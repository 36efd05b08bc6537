import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../sections-api.js';
import { eventCategory, groupByDay, propertyText } from './event-timeline.js';
import { recentDay, recentTime } from './relative-time.js';

const event = (id: string, at: Date, type = 'page.viewed'): CustomerEvent => ({ id, type, occurredAt: at.toISOString(), properties: {} });

describe('the behaviour timeline', () => {
  it('groups events under the viewer’s day they happened on, keeping their order', () => {
    const days = groupByDay([event('a', new Date(2026, 10, 29, 23, 50)), event('b', new Date(2026, 10, 29, 0, 5)), event('c', new Date(2026, 10, 28, 23, 59))]);
    expect(days.map((day) => [day.day, day.events.map((each) => each.id)])).toEqual([
      ['2026-11-29', ['a', 'b']],
      ['2026-11-28', ['c']],
    ]);
  });

  it.each([
    ['order.placed', 'commerce'],
    ['cart_item_added', 'commerce'],
    ['email.opened', 'message'],
    ['signup', 'account'],
    ['user:login', 'account'],
    ['support-ticket.created', 'support'],
    ['page_view', 'view'],
    ['app.screen', 'view'],
    ['loyalty.points_awarded', 'other'],
  ])('shows %s as a %s event', (type, category) => {
    expect(eventCategory(type)).toBe(category);
  });

  it('shows property values compactly in the viewer’s language', () => {
    const words = { yes: 'Yes', no: 'No' };
    expect(propertyText(1234.5, 'en', words)).toBe('1,234.5');
    expect(propertyText(true, 'en', words)).toBe('Yes');
    expect(propertyText(['a', 'b'], 'en', words)).toBe('a, b');
    expect(propertyText({ sku: 'T-1' }, 'en', words)).toBe('{"sku":"T-1"}');
    expect(propertyText(null, 'en', words)).toBe('—');
    expect(propertyText('x'.repeat(200), 'en', words)).toHaveLength(80);
  });

  it('says how long ago in the last day, and which day in the last week', () => {
    const now = new Date(2026, 10, 29, 12, 0);
    expect(recentTime(new Date(2026, 10, 29, 11, 55), now, 'en')).toBe('5 minutes ago');
    expect(recentTime(new Date(2026, 10, 29, 9, 0), now, 'zh-CN')).toBe('3小时前');
    expect(recentTime(new Date(2026, 10, 27, 9, 0), now, 'en')).toBeNull();
    expect(recentDay(new Date(2026, 10, 29, 1, 0), now, 'en')).toBe('today');
    expect(recentDay(new Date(2026, 10, 28, 23, 0), now, 'zh-CN')).toBe('昨天');
    expect(recentDay(new Date(2026, 10, 26, 12, 0), now, 'en')).toBe('3 days ago');
    expect(recentDay(new Date(2026, 10, 1, 12, 0), now, 'en')).toBeNull();
  });
});
