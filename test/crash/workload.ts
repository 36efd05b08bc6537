// The writes the crash test fires at the server, and what it was told about them. Each client
// (a worker) owns the customers it created and works through one request at a time, so every
// customer has at most one write whose outcome is unknown when the server is killed: the
// acknowledged state of each customer is exact, and the one unsure write can be resolved
// against what the restarted server shows.
import { chineseIdCheckCharacter } from '../../src/server/vault/standardize/national-id.js';
import { maskValue } from '../../src/server/vault/standardize/mask.js';

export type Values = Record<string, unknown>;
export type Kind = 'person' | 'company';

/** The fields the test sets and reads back, per kind. */
export const TRACKED: Record<Kind, readonly string[]> = {
  person: ['name', 'email', 'phone', 'birthDate', 'gender', 'address', 'nationalId', 'source', 'tags', 'lifecycleStage'],
  company: ['name', 'domain', 'industry', 'size', 'source', 'tags', 'lifecycleStage'],
};

/** A customer as the server acknowledged it: its values, and its notes, contact points and events by batch. */
export interface Customer {
  id: string;
  worker: number;
  kind: Kind;
  values: Values;
  notes: Map<string, string>;
  contactPoints: Map<string, string>;
  /** Batch id → how many of the batch's events are this customer's. */
  events: Map<string, number>;
}

/** The write a worker had sent when the server died (or answered 5xx): it may or may not have happened. */
export type Unsure =
  | { op: 'create'; worker: number; kind: Kind; expected: Values }
  | { op: 'patch'; customer: Customer; changes: Values }
  | { op: 'note'; customer: Customer; body: string }
  | { op: 'contactPoint'; customer: Customer; value: string }
  | { op: 'events'; batch: string; counts: Map<Customer, number> };

export interface Model {
  customers: Map<string, Customer>;
  /** Per worker, its customers (in creation order). */
  byWorker: Customer[][];
  /** The customers written to (or meant to be) since the last check. */
  touched: Set<Customer>;
  /** Per worker, its write of unknown outcome, if any. */
  unsure: Map<number, Unsure>;
}

export function newModel(workers: number): Model {
  return { customers: new Map(), byWorker: Array.from({ length: workers }, () => []), touched: new Set(), unsure: new Map() };
}

export interface LoadStats {
  sent: number;
  acknowledged: number;
  byOp: Record<Unsure['op'], number>;
  /** Requests the kill cut off (sent, no answer). */
  cutOff: number;
  /** 5xx answers: allowed only while an import holds SQLite's write lock. */
  serverErrors: string[];
}

export function newStats(): LoadStats {
  return { sent: 0, acknowledged: 0, byOp: { create: 0, patch: 0, note: 0, contactPoint: 0, events: 0 }, cutOff: 0, serverErrors: [] };
}

export interface Api {
  url: string;
  token: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** One API call with the owner's token; rejects when no answer came (the server died). */
export async function call(api: Api, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(api.url + path, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

/** A refused connection never reached the server: that write certainly did not happen. */
function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

const eventsOf = (customer: Customer) => [...customer.events.values()].reduce((sum, n) => sum + n, 0);

const MAX_NOTES = 40;
const MAX_CONTACT_POINTS = 12;
const MAX_EVENTS = 600;
const GENDERS = ['female', 'male', 'other', 'undisclosed'];
const STAGES = ['lead', 'prospect', 'customer', 'churned'];
const SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001+'];

/** Values the server stores exactly as sent (already in their standard form), so a sent write predicts what is read back. */
export function createGenerator(random: () => number) {
  let serial = 0;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = (probability: number) => random() < probability;
  const next = (round: number, worker: number) => `r${round}w${worker}n${++serial}`;
  const phone = () => `+86139${String(serial * 7919 % 100_000_000).padStart(8, '0')}`;
  const birthDate = () => `19${60 + Math.floor(random() * 40)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
  const nationalId = (birth: string) => {
    const body = `110105${birth.replaceAll('-', '')}${String(serial % 1000).padStart(3, '0')}`;
    return body + chineseIdCheckCharacter(body);
  };

  return {
    tag: next,
    newCustomer(round: number, worker: number): { kind: Kind; body: Values } {
      const tag = next(round, worker);
      const common = { source: 'crash test', tags: ['crash', `r${round}`], lifecycleStage: pick(STAGES) };
      if (maybe(0.15)) return { kind: 'company', body: { kind: 'company', name: `Crash Co ${tag}`, domain: `${tag}.crash.example`, industry: 'Testing', size: pick(SIZES), ...common } };
      const birth = birthDate();
      const body: Values = { kind: 'person', name: `Crash ${tag}`, ...common };
      if (maybe(0.9)) body.email = `${tag}@crash.example`;
      if (maybe(0.8)) body.phone = phone();
      if (maybe(0.6)) body.birthDate = birth;
      if (maybe(0.6)) body.gender = pick(GENDERS);
      if (maybe(0.5)) body.address = `${serial} Crash Road, Unit ${tag}`;
      if (maybe(0.4)) body.nationalId = nationalId(birth);
      return { kind: 'person', body };
    },
    changes(round: number, customer: Customer): Values {
      const tag = next(round, customer.worker);
      const changes: Values = {};
      const options: (() => unknown)[] =
        customer.kind === 'person'
          ? [
              () => (changes.name = `Crash ${tag}`),
              () => (changes.email = `${tag}@crash.example`),
              () => (changes.phone = phone()),
              () => (changes.address = maybe(0.2) ? null : `${serial} Patched Street, ${tag}`),
              () => (changes.nationalId = nationalId(birthDate())),
              () => (changes.gender = pick(GENDERS)),
            ]
          : [() => (changes.domain = `${tag}.crash.example`), () => (changes.industry = `Testing ${tag}`), () => (changes.size = pick(SIZES))];
      options.push(
        () => (changes.source = `crash test ${tag}`),
        () => (changes.tags = ['crash', tag]),
        () => (changes.lifecycleStage = pick(STAGES)),
      );
      const count = 1 + Math.floor(random() * 4);
      for (let i = 0; i < count; i++) pick(options)();
      return changes;
    },
    random,
    pick,
    maybe,
  };
}

/** What reading a customer back should show after a change: sensitive values masked, as the owner sees them. */
export function expectedAfter(values: Values, changes: Values): Values {
  const next = { ...values };
  for (const [key, value] of Object.entries(changes)) next[key] = key === 'nationalId' && typeof value === 'string' ? maskValue('national_id', value) : value;
  return next;
}

/** The tracked fields of a record as the server answered it (a field not set reads as null). */
export function trackedOf(kind: Kind, record: Values): Values {
  return Object.fromEntries(TRACKED[kind].map((key) => [key, record[key] ?? null]));
}

export interface Load {
  /** Stops the workers from starting new writes; resolves once each has its last answer (or error). */
  stop(): Promise<void>;
}

/**
 * Starts `workers` clients writing as fast as the server answers: customers created (the
 * occasional company), changed, given notes and further contact points, and behaviour events
 * sent in batches (the HTTP bulk path). Every 2xx answer goes into the model at once.
 */
export function startLoad(api: Api, model: Model, stats: LoadStats, round: number, generate: ReturnType<typeof createGenerator>, failures: string[]): Load {
  let stopped = false;
  const { random, pick, maybe } = generate;

  /** Sends one write; true to go on. The write stays in `model.unsure` until its answer comes. */
  async function attempt(worker: number, unsure: Unsure, method: string, path: string, body: unknown, apply: (answer: unknown) => void): Promise<boolean> {
    model.unsure.set(worker, unsure);
    stats.sent++;
    let answer: Answer;
    try {
      answer = await call(api, method, path, body);
    } catch (error) {
      if (neverSent(error)) model.unsure.delete(worker);
      else stats.cutOff++;
      return false;
    }
    if (answer.status >= 200 && answer.status < 300) {
      apply(answer.body);
      model.unsure.delete(worker);
      stats.acknowledged++;
      stats.byOp[unsure.op]++;
      return true;
    }
    if (answer.status >= 500) {
      stats.serverErrors.push(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
      return false;
    }
    model.unsure.delete(worker);
    failures.push(`round ${round}: ${method} ${path} was refused (${answer.status} ${JSON.stringify(answer.body)}) — the test sent something invalid`);
    return false;
  }

  async function create(worker: number): Promise<boolean> {
    const { kind, body } = generate.newCustomer(round, worker);
    const expected = expectedAfter(trackedOf(kind, {}), Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'kind')));
    return attempt(worker, { op: 'create', worker, kind, expected }, 'POST', '/api/customers', body, (answer) => {
      const record = answer as Values & { id: string };
      const customer: Customer = { id: record.id, worker, kind, values: trackedOf(kind, record), notes: new Map(), contactPoints: new Map(), events: new Map() };
      if (JSON.stringify(customer.values) !== JSON.stringify(expected)) {
        failures.push(`round ${round}: customer ${record.id} was stored other than sent: ${JSON.stringify(customer.values)} ≠ ${JSON.stringify(expected)}`);
      }
      model.customers.set(customer.id, customer);
      model.byWorker[worker]!.push(customer);
      model.touched.add(customer);
    });
  }

  async function step(worker: number): Promise<boolean> {
    const own = model.byWorker[worker]!;
    const roll = random();
    if (own.length === 0 || roll < 0.3) return create(worker);
    const customer = pick(own);
    model.touched.add(customer);
    if (roll < 0.58) {
      const changes = generate.changes(round, customer);
      return attempt(worker, { op: 'patch', customer, changes }, 'PATCH', `/api/customers/${customer.id}`, changes, (answer) => {
        const predicted = expectedAfter(customer.values, changes);
        customer.values = trackedOf(customer.kind, answer as Values);
        if (JSON.stringify(customer.values) !== JSON.stringify(predicted)) {
          failures.push(`round ${round}: PATCH ${customer.id} answered values other than sent: ${JSON.stringify(customer.values)} ≠ ${JSON.stringify(predicted)}`);
        }
      });
    }
    if (roll < 0.72 && customer.notes.size < MAX_NOTES) {
      const body = `Note ${generate.tag(round, worker)}: called about the renewal.`;
      return attempt(worker, { op: 'note', customer, body }, 'POST', `/api/customers/${customer.id}/notes`, { body }, (answer) => {
        customer.notes.set((answer as { id: string }).id, body);
      });
    }
    if (roll < 0.82 && customer.contactPoints.size < MAX_CONTACT_POINTS) {
      const tag = generate.tag(round, worker);
      const input = maybe(0.5) ? { type: 'email', value: `cp.${tag}@crash.example` } : { type: 'im', channel: 'wechat', value: `wx_${tag}` };
      return attempt(worker, { op: 'contactPoint', customer, value: input.value }, 'POST', `/api/customers/${customer.id}/contact-points`, input, (answer) => {
        customer.contactPoints.set((answer as { id: string }).id, input.value);
      });
    }
    return sendEvents(worker, own);
  }

  /** A batch of 20–200 behaviour events over one to three of the worker's customers: one transaction on the server. */
  async function sendEvents(worker: number, own: Customer[]): Promise<boolean> {
    const batch = generate.tag(round, worker);
    const targets = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(own)))].filter((c) => eventsOf(c) < MAX_EVENTS);
    if (targets.length === 0) return create(worker);
    const total = 20 + Math.floor(random() * 181);
    const counts = new Map<Customer, number>();
    const events = Array.from({ length: total }, (_, i) => {
      const customer = targets[i % targets.length]!;
      counts.set(customer, (counts.get(customer) ?? 0) + 1);
      model.touched.add(customer);
      return { customerId: customer.id, type: 'crash.load', occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), properties: { batch, i } };
    });
    return attempt(worker, { op: 'events', batch, counts }, 'POST', '/api/events', { events }, (answer) => {
      const { accepted, rejected } = answer as { accepted: number; rejected: unknown[] };
      if (accepted !== total || rejected.length > 0) failures.push(`round ${round}: event batch ${batch} accepted ${accepted} of ${total}: ${JSON.stringify(rejected)}`);
      for (const [customer, count] of counts) customer.events.set(batch, count);
    });
  }

  const running = model.byWorker.map(async (_, worker) => {
    while (!stopped && (await step(worker)));
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
