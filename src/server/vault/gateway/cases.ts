import type { Actor } from '../../actor.js';
import { isoFromDb, toDbTime } from '../../db/mapping.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { authorize, reaches } from '../policy.js';
import { findCase, insertCase, listCases, updateCase, type CaseRow } from '../case-store.js';
import type { GatewayContext } from './context.js';

const MAX_SUBJECT = 200;

/** The case as the API shows it. Its subject is a short title; details go in notes. */
function presentCase(row: CaseRow) {
  return { id: row.id, subject: row.subject, status: row.status as 'open' | 'closed', ownerId: row.owner_user_id, createdAt: isoFromDb(row.created_at)!, closedAt: isoFromDb(row.closed_at) };
}

/**
 * Support cases on a customer. An open case ties its owner to the customer: field rules may
 * show them what others see masked (a support agent calls back the phone of their case).
 */
export function customerCases(ctx: GatewayContext) {
  const { db, clock, audit, loadRow } = ctx;
  return {
    async openCase(actor: Actor, customerId: string, input: { subject: string }) {
      await loadRow(actor, customerId, authorize(actor, 'cases', 'create'));
      const subject = input.subject.trim();
      if (subject === '' || subject.length > MAX_SUBJECT) throw badRequest('invalid_subject', `A case subject has 1 to ${MAX_SUBJECT} characters.`, 'subject');
      const row: CaseRow = {
        workspace_id: actor.workspaceId,
        id: newId(),
        customer_id: customerId,
        owner_user_id: actor.kind === 'user' ? actor.userId : null,
        subject,
        status: 'open',
        created_at: toDbTime(clock.now()),
        closed_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await insertCase(trx, row);
        await audit.record(actor, { action: 'case.opened', outcome: 'success', metadata: { customerId }, object: { type: 'case', id: row.id } }, trx);
      });
      return presentCase(row);
    },

    async cases(actor: Actor, customerId: string) {
      await loadRow(actor, customerId, authorize(actor, 'cases', 'read'));
      const rows = await listCases(db, actor.workspaceId, customerId);
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'cases', count: rows.length }, object: { type: 'customer', id: customerId } });
      return { items: rows.map(presentCase) };
    },

    async closeCase(actor: Actor, customerId: string, caseId: string) {
      // A case is its owner's: "own" here means the cases the user owns, on any customer they may read.
      const scope = authorize(actor, 'cases', 'update');
      const customer = await loadRow(actor, customerId, authorize(actor, 'cases', 'read'));
      const row = await findCase(db, actor.workspaceId, customerId, caseId);
      if (!row || !reaches(actor, scope, { ownerId: row.owner_user_id, teamId: customer.team_id })) throw notFound('case_not_found', 'No such case.');
      if (row.status === 'closed') throw conflict('case_closed', 'The case is already closed.');
      const closedAt = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        await updateCase(trx, actor.workspaceId, caseId, { status: 'closed', closed_at: closedAt });
        await audit.record(actor, { action: 'case.closed', outcome: 'success', metadata: { customerId }, object: { type: 'case', id: caseId } }, trx);
      });
      return presentCase({ ...row, status: 'closed', closed_at: closedAt });
    },
  };
}
