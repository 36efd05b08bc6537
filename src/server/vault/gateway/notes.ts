import type { Actor } from '../../actor.js';
import { isoFromDb, toDbTime } from '../../db/mapping.js';
import { badRequest, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { decryptField, encryptField } from '../crypto/field-cipher.js';
import { authorize } from '../policy.js';
import { deleteNote, insertNote, listNotes, type NoteRow } from '../activity-store.js';
import { SUBJECT_KEY_VERSION, rowPlace, type GatewayContext } from './context.js';

const MAX_NOTE_LENGTH = 10_000;
const notePlace = rowPlace('customer_notes', 'body');

/** Team notes about a customer, encrypted under their subject key like their personal values. */
export function customerNotes(ctx: GatewayContext) {
  const { db, clock, audit, keyring, loadRow, requireSubjectKey } = ctx;
  return {
    /** A note about a customer, encrypted under their subject key like their personal values. */
    async addNote(actor: Actor, customerId: string, text: string) {
      await loadRow(actor, customerId, authorize(actor, 'notes', 'create'));
      const body = text.trim();
      if (body === '' || body.length > MAX_NOTE_LENGTH) throw badRequest('invalid_note', `A note has 1 to ${MAX_NOTE_LENGTH} characters.`, 'body');
      const subjectKey = await requireSubjectKey(db, actor.workspaceId, customerId);
      const base = { workspace_id: actor.workspaceId, id: newId(), customer_id: customerId, author_id: actor.kind === 'user' ? actor.userId : null, created_at: toDbTime(clock.now()), deleted_at: null };
      const row: NoteRow = { ...base, body: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(body, 'utf8'), notePlace(base)) };
      await db.transaction().execute(async (trx) => {
        await insertNote(trx, row);
        await audit.record(actor, { action: 'note.created', outcome: 'success', metadata: { customerId }, object: { type: 'note', id: row.id } }, trx);
      });
      return { id: row.id, body, authorId: row.author_id, createdAt: isoFromDb(row.created_at)! };
    },

    async notes(actor: Actor, customerId: string, limit = 100) {
      await loadRow(actor, customerId, authorize(actor, 'notes', 'read'));
      const rows = await listNotes(db, actor.workspaceId, customerId, limit);
      const subjectKey = rows.length ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
      const items = rows.map((row) => ({
        id: row.id,
        body: subjectKey ? decryptField(subjectKey, Buffer.from(row.body), notePlace(row)).toString('utf8') : '',
        authorId: row.author_id,
        createdAt: isoFromDb(row.created_at)!,
      }));
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'notes', count: items.length }, object: { type: 'customer', id: customerId } });
      return { items };
    },

    async removeNote(actor: Actor, customerId: string, noteId: string): Promise<void> {
      await loadRow(actor, customerId, authorize(actor, 'notes', 'delete'));
      await db.transaction().execute(async (trx) => {
        if (!(await deleteNote(trx, actor.workspaceId, customerId, noteId, toDbTime(clock.now())))) throw notFound('note_not_found', 'No such note.');
        await audit.record(actor, { action: 'note.deleted', outcome: 'success', metadata: { customerId }, object: { type: 'note', id: noteId } }, trx);
      });
    },

  };
}
