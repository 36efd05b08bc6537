// What must hold after every kill: first in the database itself while no server runs, then
// through the restarted server's API against what the clients were told.
import { sql } from 'kysely';
import type { CrashInstall } from './install.js';
import { call, expectedAfter, trackedOf, type Api, type Customer, type Kind, type Model, type Unsure, type Values } from './workload.js';

/** What the database held when the server died. */
export interface DatabaseFacts {
  customerIds: Set<string>;
  /** Customers written by the import (`custos seed-demo`). */
  seeded: string[];
}

/**
 * The database as the kill left it, opened directly: SQLite's own integrity and foreign-key
 * checks; every customer has the subject key its personal values are sealed under; and each
 * write's rows and its audit event came together (notes, contact points, event batches
 * counted against the events that record them).
 */
export async function checkDatabase(crash: CrashInstall, failures: string[]): Promise<DatabaseFacts> {
  const database = crash.openDirect();
  const { db } = database;
  try {
    if (database.dialect === 'sqlite') {
      const integrity = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows.map((row) => row.integrity_check);
      if (integrity.join() !== 'ok') failures.push(`SQLite integrity_check: ${integrity.join('; ')}`);
      const foreignKeys = (await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db)).rows;
      if (foreignKeys.length > 0) failures.push(`SQLite foreign_key_check: ${JSON.stringify(foreignKeys.slice(0, 5))}`);
    }
    const customers = await db.selectFrom('customers').select(['id', 'created_by']).execute();
    const keyless = await db
      .selectFrom('customers as c')
      .leftJoin('subject_keys as k', (join) => join.onRef('k.workspace_id', '=', 'c.workspace_id').onRef('k.customer_id', '=', 'c.id'))
      .where('k.customer_id', 'is', null)
      .select('c.id')
      .execute();
    if (keyless.length > 0) failures.push(`customers without their subject key (half-written): ${keyless.map((row) => row.id).join(', ')}`);

    const recorded = async (action: string) => (await db.selectFrom('audit_events').select('metadata').where('action', '=', action).execute()).map((row) => JSON.parse(row.metadata) as Record<string, unknown>);
    const count = async (table: 'customer_notes' | 'customer_contact_points' | 'customer_events') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const notes = await count('customer_notes');
    const noteEvents = (await recorded('note.created')).length;
    if (notes !== noteEvents) failures.push(`${notes} notes but ${noteEvents} note.created events`);
    const contactPoints = await count('customer_contact_points');
    const contactPointEvents = (await recorded('contact_point.added')).length;
    if (contactPoints !== contactPointEvents) failures.push(`${contactPoints} contact points but ${contactPointEvents} contact_point.added events`);
    const events = await count('customer_events');
    const ingested = (await recorded('events.ingested')).reduce((sum, metadata) => sum + Number(metadata.accepted), 0);
    if (events !== ingested) failures.push(`${events} behaviour events stored but events.ingested events account for ${ingested}`);

    return { customerIds: new Set(customers.map((row) => row.id)), seeded: customers.filter((row) => row.created_by === 'seed-demo').map((row) => row.id) };
  } finally {
    await database.close();
  }
}

/** How the writes of unknown outcome turned out. */
export interface Resolved {
  applied: number;
  notApplied: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A JSON answer, or a failure naming the request (a 500 here is a record that does not read back). */
async function read<T>(api: Api, path: string, failures: string[]): Promise<T | null> {
  const answer = await call(api, 'GET', path);
  if (answer.status !== 200) {
    failures.push(`GET ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return null;
  }
  return answer.body as T;
}

/** Every page of a customers list query. */
async function listAll(api: Api, query: string, failures: string[]): Promise<(Values & { id: string; kind: Kind })[]> {
  const items: (Values & { id: string; kind: Kind })[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: (Values & { id: string; kind: Kind })[]; nextCursor: string | null } | null = await read(api, `/api/customers?limit=200&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, failures);
    if (!page) break;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Through the restarted server: every acknowledged customer reads back with exactly its
 * acknowledged values, notes, contact points and events; each write cut off by the kill
 * happened wholly or not at all (and joins the model if it did); nothing appears that no
 * client sent; every customer has its `customer.created` event and every such event its
 * customer. `everything`: check every customer's notes, contact points and events, not only
 * those written to since the last check.
 */
export async function checkServer(api: Api, ownerId: string, model: Model, facts: DatabaseFacts, failures: string[], everything = false): Promise<Resolved> {
  const resolved: Resolved = { applied: 0, notApplied: 0 };
  const outcome = (applied: boolean) => (applied ? resolved.applied++ : resolved.notApplied++);
  const unsure = [...model.unsure.values()];
  model.unsure.clear();
  const unsureOf = <O extends Unsure['op']>(op: O) => unsure.filter((u): u is Extract<Unsure, { op: O }> => u.op === op);

  // The owner's customers, as the list shows them (the list decrypts every row it returns).
  const listed = new Map((await listAll(api, `filter=${encodeURIComponent(`ownerId:eq:${ownerId}`)}`, failures)).map((record) => [record.id, record]));
  const patches = new Map(unsureOf('patch').map((u) => [u.customer, u.changes]));
  for (const customer of model.customers.values()) {
    const record = listed.get(customer.id);
    listed.delete(customer.id);
    if (!record) {
      failures.push(`acknowledged customer ${customer.id} is missing`);
      continue;
    }
    const shown = trackedOf(customer.kind, record);
    if (same(shown, customer.values)) {
      if (patches.has(customer)) outcome(false);
      continue;
    }
    const changes = patches.get(customer);
    if (changes && same(shown, expectedAfter(customer.values, changes))) {
      customer.values = shown;
      outcome(true);
      continue;
    }
    failures.push(
      `customer ${customer.id} reads ${JSON.stringify(shown)}, acknowledged ${JSON.stringify(customer.values)}` + (changes ? ` (or, with the PATCH cut off, ${JSON.stringify(expectedAfter(customer.values, changes))})` : ''),
    );
  }
  // Customers no acknowledged write made: each must be a create the kill cut off, whole.
  const creates = unsureOf('create');
  for (const record of listed.values()) {
    const index = creates.findIndex((u) => u.kind === record.kind && same(trackedOf(u.kind, record), u.expected));
    if (index < 0) {
      failures.push(`customer ${record.id} (${JSON.stringify(trackedOf(record.kind, record))}) was never sent by a client, or is half-written`);
      continue;
    }
    const [create] = creates.splice(index, 1);
    const customer: Customer = { id: record.id, worker: create!.worker, kind: create!.kind, values: create!.expected, notes: new Map(), contactPoints: new Map(), events: new Map() };
    model.customers.set(customer.id, customer);
    model.byWorker[customer.worker]!.push(customer);
    model.touched.add(customer);
    outcome(true);
  }
  for (let i = 0; i < creates.length; i++) outcome(false);

  const notes = new Map(unsureOf('note').map((u) => [u.customer, u.body]));
  const contactPoints = new Map(unsureOf('contactPoint').map((u) => [u.customer, u.value]));
  const batches = unsureOf('events');
  const eventsFound = new Map<string, number>();
  for (const customer of everything ? model.customers.values() : model.touched) {
    const record = await read<Values>(api, `/api/customers/${customer.id}`, failures);
    if (record && !same(trackedOf(customer.kind, record), customer.values)) failures.push(`GET customer ${customer.id} reads ${JSON.stringify(trackedOf(customer.kind, record))}, acknowledged ${JSON.stringify(customer.values)}`);
    await checkNotes(api, customer, notes.get(customer), failures, outcome);
    await checkContactPoints(api, customer, contactPoints.get(customer), failures, outcome);
    const found = await eventsByBatch(api, customer, failures);
    for (const [batch, count] of found) {
      const pending = batches.find((u) => u.batch === batch);
      if (pending) {
        eventsFound.set(batch, (eventsFound.get(batch) ?? 0) + count);
        if (count !== pending.counts.get(customer)) failures.push(`customer ${customer.id} has ${count} events of the cut-off batch ${batch}, which sent them ${pending.counts.get(customer) ?? 0}`);
      } else if (count !== customer.events.get(batch)) {
        failures.push(`customer ${customer.id} has ${count} events of batch ${batch}, acknowledged ${customer.events.get(batch) ?? 0}`);
      }
    }
    for (const [batch, count] of customer.events) if (!found.has(batch)) failures.push(`customer ${customer.id} lost the ${count} acknowledged events of batch ${batch}`);
  }
  // A batch is one transaction: all its events or none.
  for (const batch of batches) {
    const total = [...batch.counts.values()].reduce((sum, n) => sum + n, 0);
    const found = eventsFound.get(batch.batch) ?? 0;
    if (found !== 0 && found !== total) failures.push(`${found} of the ${total} events of the cut-off batch ${batch.batch} were stored`);
    if (found === total) for (const [customer, count] of batch.counts) customer.events.set(batch.batch, count);
    outcome(found === total);
  }

  // A customer found by its email was written with its lookup rows.
  for (const customer of [...model.touched].filter((c) => typeof c.values.email === 'string').slice(0, 10)) {
    const found = await read<{ items: { id: string }[] }>(api, `/api/customers?email=${encodeURIComponent(String(customer.values.email))}`, failures);
    if (found && !found.items.some((item) => item.id === customer.id)) failures.push(`customer ${customer.id} is not found by its email`);
  }

  // Each customer with its customer.created event, each such event with its customer.
  const exported = await call(api, 'GET', '/api/audit?action=customer.created&format=ndjson');
  if (exported.status !== 200) failures.push(`exporting the customer.created events → ${exported.status}`);
  else {
    const created = new Set(
      String(exported.body)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { object: { id: string } | null }).object?.id),
    );
    const withoutEvent = [...facts.customerIds].filter((id) => !created.has(id));
    if (withoutEvent.length > 0) failures.push(`customers without their customer.created event: ${withoutEvent.slice(0, 10).join(', ')}`);
    const withoutCustomer = [...created].filter((id) => !id || !facts.customerIds.has(id));
    if (withoutCustomer.length > 0) failures.push(`customer.created events for customers that do not exist: ${withoutCustomer.slice(0, 10).join(', ')}`);
  }
  model.touched.clear();
  return resolved;
}

async function checkNotes(api: Api, customer: Customer, cutOff: string | undefined, failures: string[], outcome: (applied: boolean) => void) {
  const found = await read<{ items: { id: string; body: string }[] }>(api, `/api/customers/${customer.id}/notes`, failures);
  if (!found) return;
  const shown = new Map(found.items.map((note) => [note.id, note.body]));
  for (const [id, body] of customer.notes) if (shown.get(id) !== body) failures.push(`customer ${customer.id}: acknowledged note ${id} reads ${JSON.stringify(shown.get(id))}`);
  const extra = found.items.filter((note) => !customer.notes.has(note.id));
  if (cutOff !== undefined) outcome(extra.length === 1 && extra[0]!.body === cutOff);
  for (const note of extra) {
    if (note.body === cutOff && extra.length === 1) customer.notes.set(note.id, note.body);
    else failures.push(`customer ${customer.id} has a note nobody sent: ${JSON.stringify(note.body)}`);
  }
}

async function checkContactPoints(api: Api, customer: Customer, cutOff: string | undefined, failures: string[], outcome: (applied: boolean) => void) {
  const found = await read<{ items: { id: string; value: string }[] }>(api, `/api/customers/${customer.id}/contact-points`, failures);
  if (!found) return;
  const shown = new Map(found.items.map((point) => [point.id, point.value]));
  for (const [id, value] of customer.contactPoints) if (shown.get(id) !== value) failures.push(`customer ${customer.id}: acknowledged contact point ${id} reads ${JSON.stringify(shown.get(id))}`);
  const extra = found.items.filter((point) => !customer.contactPoints.has(point.id));
  if (cutOff !== undefined) outcome(extra.length === 1 && extra[0]!.value === cutOff);
  for (const point of extra) {
    if (point.value === cutOff && extra.length === 1) customer.contactPoints.set(point.id, point.value);
    else failures.push(`customer ${customer.id} has a contact point nobody sent: ${JSON.stringify(point.value)}`);
  }
}

/** A customer's behaviour events (every page), counted by the batch that sent them. */
async function eventsByBatch(api: Api, customer: Customer, failures: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page: { items: { properties: { batch?: string } }[]; nextCursor: string | null } | null = await read(
      api,
      `/api/customers/${customer.id}/events?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      failures,
    );
    if (!page) break;
    for (const event of page.items) counts.set(String(event.properties.batch), (counts.get(String(event.properties.batch)) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor);
  return counts;
}

/** Imported customers read back whole: each shows its name (from the personal bundle for a person). */
export async function checkImported(api: Api, ids: readonly string[], failures: string[]): Promise<void> {
  for (const id of ids) {
    const record = await read<Values>(api, `/api/customers/${id}`, failures);
    if (record && (typeof record.name !== 'string' || record.name === '')) failures.push(`imported customer ${id} reads without its name: ${JSON.stringify(record)}`);
  }
}

/** Every customer of the workspace, through the unfiltered list: each row decrypts (the list would fail) and has its name. */
export async function checkWholeList(api: Api, expected: number, failures: string[]): Promise<void> {
  const items = await listAll(api, '', failures);
  if (items.length !== expected) failures.push(`the list shows ${items.length} customers, the database holds ${expected}`);
  const nameless = items.filter((item) => typeof item.name !== 'string' || item.name === '');
  if (nameless.length > 0) failures.push(`customers listed without a name: ${nameless.slice(0, 5).map((item) => item.id).join(', ')}`);
}
