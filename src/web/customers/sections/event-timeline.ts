import type { CustomerEvent } from '../sections-api.js';
import { localDay } from './relative-time.js';

export interface EventDay {
  /** `2026-11-29`, the viewer's local day. */
  day: string;
  events: CustomerEvent[];
}

/** Events (already newest first) under the local day they happened on, days newest first. */
export function groupByDay(events: readonly CustomerEvent[]): EventDay[] {
  const days: EventDay[] = [];
  for (const event of events) {
    const day = localDay(new Date(event.occurredAt));
    const last = days.at(-1);
    if (last?.day === day) last.events.push(event);
    else days.push({ day, events: [event] });
  }
  return days;
}

export const EVENT_CATEGORIES = ['commerce', 'message', 'account', 'support', 'view', 'other'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** Words in an event type (`order.placed`, `email_clicked`, `page-view`) that say what kind of thing happened; the first category to match wins. */
const CATEGORY_WORDS: Record<Exclude<EventCategory, 'other'>, readonly string[]> = {
  commerce: ['order', 'purchase', 'checkout', 'cart', 'payment', 'paid', 'refund', 'subscription', 'invoice', 'coupon'],
  message: ['email', 'mail', 'sms', 'message', 'wechat', 'whatsapp', 'newsletter', 'notification', 'push', 'campaign'],
  account: ['login', 'logout', 'signin', 'signup', 'sign', 'register', 'account', 'session', 'password', 'profile'],
  support: ['ticket', 'support', 'call', 'chat', 'complaint', 'feedback', 'survey', 'review'],
  view: ['page', 'view', 'viewed', 'visit', 'screen', 'search', 'click', 'clicked', 'open', 'opened', 'download'],
};

/** What kind of event a type names, for its icon and colour; types are the sender's own, so anything unknown is `other`. */
export function eventCategory(type: string): EventCategory {
  const words = type.toLowerCase().split(/[._:-]+/);
  for (const category of EVENT_CATEGORIES) {
    if (category !== 'other' && CATEGORY_WORDS[category].some((word) => words.includes(word))) return category;
  }
  return 'other';
}

/** The longest a property's value is shown before it is cut, so one long value cannot push the rest away. */
export const MAX_VALUE_LENGTH = 80;

const cut = (text: string) => (text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text);

/**
 * A property's value on one line: text as it is, numbers in the viewer's language, lists
 * joined, anything nested as compact JSON; cut when long.
 */
export function propertyText(value: unknown, language: string, words: { yes: string; no: string }): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return cut(value);
  if (typeof value === 'number') return new Intl.NumberFormat(language).format(value);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return cut(value.join(', '));
  return cut(JSON.stringify(value));
}
