import type { Actor } from '../../actor.js';
import type { CustomerKind, Visibility } from '../../../shared/fields.js';
import { fromDbJson } from '../../db/mapping.js';
import { authorizeCustomers, visibilityOf } from '../policy.js';
import type { CustomerRecord, GatewayContext } from './context.js';

export const PREFERENCE_CHANNELS = ['email', 'phone', 'sms', 'wechat', 'whatsapp', 'mail'] as const;
export const PREFERENCE_LANGUAGES = ['zh-CN', 'en'] as const;

/** How a customer wants to be reached, kept in their fields preferredChannels, preferredLanguage, topics and doNotContact. */
export interface Preferences {
  channels: (typeof PREFERENCE_CHANNELS)[number][];
  language: (typeof PREFERENCE_LANGUAGES)[number] | null;
  topics: string[];
  doNotContact: boolean;
}

/** Each preference and the customer field it is kept in. */
const PREFERENCE_FIELDS = { channels: 'preferredChannels', language: 'preferredLanguage', topics: 'topics', doNotContact: 'doNotContact' } as const;

type UpdateCustomer = (actor: Actor, id: string, input: Record<string, unknown>) => Promise<CustomerRecord>;

const isString = (value: unknown): value is string => typeof value === 'string';

/** Preferences from field values; absent or unexpected values read as "no preference". */
function toPreferences(values: Record<string, unknown>): Preferences {
  const channels = values[PREFERENCE_FIELDS.channels];
  const language = values[PREFERENCE_FIELDS.language];
  const topics = values[PREFERENCE_FIELDS.topics];
  return {
    channels: Array.isArray(channels) ? channels.filter((c): c is Preferences['channels'][number] => (PREFERENCE_CHANNELS as readonly unknown[]).includes(c)) : [],
    language: (PREFERENCE_LANGUAGES as readonly unknown[]).includes(language) ? (language as Preferences['language']) : null,
    topics: Array.isArray(topics) ? topics.filter(isString) : [],
    doNotContact: values[PREFERENCE_FIELDS.doNotContact] === true,
  };
}

/**
 * A customer's contact preferences, one view over four of their fields. Writes go through the
 * records part's `update` (passed in), so they are standardized, stored, indexed and audited
 * exactly as a PATCH of those fields is.
 */
export function customerPreferences(ctx: GatewayContext, update: UpdateCustomer) {
  const { audit, fields, loadRow, relationOf } = ctx;
  return {
    async preferences(actor: Actor, customerId: string): Promise<Preferences> {
      const row = await loadRow(actor, customerId, authorizeCustomers(actor, 'read'));
      const relation = await relationOf(actor, row);
      const registry = await fields.load(actor.workspaceId);
      // Preferences are internal values: the plain column has them, nothing is decrypted.
      const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
      const values: Record<string, unknown> = {};
      const shown: Record<string, Visibility> = {};
      for (const key of Object.values(PREFERENCE_FIELDS)) {
        const field = registry.find(row.kind as CustomerKind, key);
        if (!field || visibilityOf(actor, field, relation) !== 'clear') continue;
        values[key] = plain[key];
        shown[key] = 'clear';
      }
      await audit.record(actor, { action: 'customer.viewed', outcome: 'success', metadata: { fields: shown }, object: { type: 'customer', id: customerId } });
      return toPreferences(values);
    },

    /** Sets all four at once; an empty list or no language clears the field. */
    async setPreferences(actor: Actor, customerId: string, input: Preferences): Promise<Preferences> {
      const record = await update(actor, customerId, {
        [PREFERENCE_FIELDS.channels]: input.channels.length ? input.channels : null,
        [PREFERENCE_FIELDS.language]: input.language,
        [PREFERENCE_FIELDS.topics]: input.topics.length ? input.topics : null,
        [PREFERENCE_FIELDS.doNotContact]: input.doNotContact,
      });
      return toPreferences(record);
    },
  };
}
