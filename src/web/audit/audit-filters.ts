/**
 * The audit page's state as it lives in the address (`/audit?tab=exposure&customerId=…`), and
 * as the API takes it. Dates are the user's calendar days: a range runs from the start of
 * `from` to the end of `to` in their own time zone, sent as UTC instants.
 */

export const AUDIT_TABS = ['events', 'exposure'] as const;
export type AuditTab = (typeof AUDIT_TABS)[number];

export const OUTCOMES = ['success', 'failure', 'denied'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditFilters {
  /** A user id, a token id or a system job's name. */
  actor: string;
  customerId: string;
  /** An action, or an area as `area.*`. */
  action: string;
  /** Calendar days, YYYY-MM-DD. */
  from: string;
  to: string;
  outcome: Outcome | '';
}

export const NO_FILTERS: AuditFilters = { actor: '', customerId: '', action: '', from: '', to: '', outcome: '' };

const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof AuditFilters)[];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCustomerId(value: string): boolean {
  return UUID.test(value);
}

export function readTab(params: URLSearchParams): AuditTab {
  const tab = params.get('tab');
  return tab === 'exposure' ? 'exposure' : 'events';
}

/** The filters in the address; what cannot be one (a malformed day, an unknown outcome) is left out. */
export function readFilters(params: URLSearchParams): AuditFilters {
  const text = (key: string, max: number) => (params.get(key) ?? '').trim().slice(0, max);
  const outcome = params.get('outcome');
  return {
    actor: text('actor', 64),
    customerId: text('customerId', 36),
    action: text('action', 64),
    from: DAY.test(text('from', 10)) ? text('from', 10) : '',
    to: DAY.test(text('to', 10)) ? text('to', 10) : '',
    outcome: (OUTCOMES as readonly string[]).includes(outcome ?? '') ? (outcome as Outcome) : '',
  };
}

/** The address of the page with these filters on that tab; empty filters are left out. */
export function auditParams(tab: AuditTab, filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (tab !== 'events') params.set('tab', tab);
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  return params;
}

/** Whether a draft can be sent: a well-formed customer id if any, a range in order. */
export function draftIsValid(draft: Pick<AuditFilters, 'customerId' | 'from' | 'to'>): boolean {
  return (draft.customerId.trim() === '' || isCustomerId(draft.customerId.trim())) && !(draft.from && draft.to && draft.to < draft.from);
}

/** The start of a calendar day in the user's time zone, as an ISO instant. */
export function startOfDay(day: string): string {
  return new Date(`${day}T00:00:00`).toISOString();
}

/** The last millisecond of a calendar day in the user's time zone. */
export function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}

/** The search's query string for the API (`format` and `cursor` added by the caller when needed). */
export function searchQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.customerId) params.set('customerId', filters.customerId);
  if (filters.action) params.set('action', filters.action);
  if (filters.from) params.set('from', startOfDay(filters.from));
  if (filters.to) params.set('to', endOfDay(filters.to));
  if (filters.outcome) params.set('outcome', filters.outcome);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** Exposure asks about one subject: the customer when one is chosen and no actor, else the actor. */
export type ExposureSubject = { by: 'actor'; actor: string } | { by: 'customer'; customerId: string };

export function exposureSubject(filters: AuditFilters): ExposureSubject | null {
  if (filters.actor) return { by: 'actor', actor: filters.actor };
  if (isCustomerId(filters.customerId)) return { by: 'customer', customerId: filters.customerId };
  return null;
}

export function exposureQuery(subject: ExposureSubject, filters: Pick<AuditFilters, 'from' | 'to'>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(subject.by === 'actor' ? { actor: subject.actor } : { customerId: subject.customerId });
  if (filters.from) params.set('from', startOfDay(filters.from));
  if (filters.to) params.set('to', endOfDay(filters.to));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** An action's area: `customer` for `customer.viewed`. */
export function areaOf(action: string): string {
  return action.split('.')[0] ?? action;
}

/** Actions by area, areas in the order they first appear. */
export function groupByArea(actions: readonly string[]): { area: string; actions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const area = areaOf(action);
    const list = groups.get(area);
    if (list) list.push(action);
    else groups.set(area, [action]);
  }
  return [...groups.entries()].map(([area, list]) => ({ area, actions: list }));
}
