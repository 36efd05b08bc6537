import type { Actor } from '../../actor.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../../db/mapping.js';
import { badRequest, conflict } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { authorize, reaches } from '../policy.js';
import {
  existingCustomers,
  findTransactionByExternalId,
  insertEvents,
  insertTransaction,
  listEvents,
  listTransactions,
  transactionTotals,
  type EventRow,
  type TransactionRow,
} from '../activity-store.js';
import { tiesOf, type GatewayContext } from './context.js';

export interface TransactionInput {
  externalId?: string;
  occurredAt: string;
  amountMinor: number;
  currency: string;
  channel?: string;
  status: 'pending' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded';
  lineItems?: { sku?: string; name: string; quantity: number; unitAmountMinor: number }[];
}

export interface EventInput {
  customerId: string;
  type: string;
  occurredAt: string;
  properties?: Record<string, unknown>;
}

function presentTransaction(row: TransactionRow) {
  return {
    id: row.id,
    externalId: row.external_id,
    occurredAt: isoFromDb(row.occurred_at)!,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    channel: row.channel,
    status: row.status,
    lineItems: fromDbJson<unknown[]>(row.line_items) ?? [],
  };
}

function presentEvent(row: EventRow) {
  return { id: row.id, type: row.type, occurredAt: isoFromDb(row.occurred_at)!, properties: fromDbJson<Record<string, unknown>>(row.properties) ?? {} };
}

const EVENT_CURSOR = /^(\d+)_([0-9a-f-]{36})$/;

/** What customers did and bought: transactions (orders, payments) and behaviour events. */
export function customerActivity(ctx: GatewayContext) {
  const { db, clock, audit, loadRow } = ctx;
  return {
    /** Records an order or payment of a customer; the same external id twice is refused (409), so re-sent orders do not double. */
    async addTransaction(actor: Actor, customerId: string, input: TransactionInput) {
      await loadRow(actor, customerId, authorize(actor, 'transactions', 'create'));
      if (!Number.isSafeInteger(input.amountMinor)) throw badRequest('invalid_amount', 'amountMinor must be a whole number of minor units.', 'amountMinor');
      const occurredAt = Date.parse(input.occurredAt);
      if (Number.isNaN(occurredAt)) throw badRequest('invalid_date', 'occurredAt must be an ISO 8601 date and time.', 'occurredAt');
      if (input.externalId && (await findTransactionByExternalId(db, actor.workspaceId, input.externalId))) {
        throw conflict('duplicate_transaction', 'A transaction with this external id already exists.', 'externalId');
      }
      const row: TransactionRow = {
        workspace_id: actor.workspaceId,
        id: newId(),
        customer_id: customerId,
        external_id: input.externalId ?? null,
        occurred_at: occurredAt,
        amount_minor: input.amountMinor,
        currency: input.currency,
        channel: input.channel ?? null,
        status: input.status,
        line_items: toDbJson(input.lineItems ?? []),
        created_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await insertTransaction(trx, row);
        await audit.record(actor, { action: 'transaction.created', outcome: 'success', metadata: { customerId, status: row.status }, object: { type: 'transaction', id: row.id } }, trx);
      });
      return presentTransaction(row);
    },

    /** A customer's transactions, newest first, with totals per currency (cancelled and refunded ones excluded). */
    async transactions(actor: Actor, customerId: string, limit = 200) {
      await loadRow(actor, customerId, authorize(actor, 'transactions', 'read'));
      const rows = await listTransactions(db, actor.workspaceId, customerId, limit);
      const totals = (await transactionTotals(db, actor.workspaceId, customerId)).map((t) => ({ currency: t.currency, amountMinor: Number(t.amount_minor), count: Number(t.count) }));
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'transactions', count: rows.length }, object: { type: 'customer', id: customerId } });
      return { items: rows.map(presentTransaction), totals };
    },

    /**
     * Ingests a batch of behaviour events (up to 1,000) in one transaction. Events for
     * customers the workspace does not have are refused one by one, never the whole batch.
     */
    async ingestEvents(actor: Actor, events: readonly EventInput[]) {
      const scope = authorize(actor, 'events', 'create');
      // Customers outside the caller's scope are refused like unknown ones: existence does not leak.
      const reachable = (await existingCustomers(db, actor.workspaceId, [...new Set(events.map((e) => e.customerId))])).filter((row) => reaches(actor, scope, tiesOf(row)));
      const known = new Set(reachable.map((row) => row.id));
      const rows: EventRow[] = [];
      const rejected: { index: number; code: string; field: string }[] = [];
      events.forEach((event, index) => {
        const at = Date.parse(event.occurredAt);
        if (!known.has(event.customerId)) rejected.push({ index, code: 'customer_not_found', field: 'customerId' });
        else if (Number.isNaN(at)) rejected.push({ index, code: 'invalid_date', field: 'occurredAt' });
        else rows.push({ workspace_id: actor.workspaceId, customer_id: event.customerId, occurred_at: at, id: newId(), type: event.type, properties: toDbJson(event.properties ?? {}) });
      });
      const types = [...new Set(rows.map((r) => r.type))].slice(0, 20);
      await db.transaction().execute(async (trx) => {
        await insertEvents(trx, rows);
        await audit.record(actor, { action: 'events.ingested', outcome: 'success', metadata: { accepted: rows.length, rejected: rejected.length, types } }, trx);
      });
      return { accepted: rows.length, rejected };
    },

    /** A customer's timeline of behaviour events, newest first, paged with an opaque cursor. */
    async events(actor: Actor, customerId: string, options: { cursor?: string; limit: number }) {
      await loadRow(actor, customerId, authorize(actor, 'events', 'read'));
      const match = options.cursor ? EVENT_CURSOR.exec(options.cursor) : null;
      if (options.cursor && !match) throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', 'cursor');
      const before = match ? { at: Number(match[1]), id: match[2]! } : null;
      const rows = await listEvents(db, actor.workspaceId, customerId, before, options.limit + 1);
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'events', count: page.length }, object: { type: 'customer', id: customerId } });
      return { items: page.map(presentEvent), nextCursor: rows.length > options.limit && last ? `${last.occurred_at}_${last.id}` : null };
    },
  };
}
