import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname, '..');
const VAULT = path.resolve(import.meta.dirname);
const TABLES = '(customers|customer_lookup|customer_transactions|customer_events|customer_notes|customer_contact_points|customer_addresses|customer_field_history|support_cases|subject_keys|workspace_keys)';
/** A customer table reached through Kysely, or named in SQL text. */
const CUSTOMER_TABLES = new RegExp(
  `\\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|createTable|alterTable|dropTable)\\(\\s*['"\`]${TABLES}\\b|\\b(from|join|into|update)\\s+"?${TABLES}\\b`,
  'i',
);
const VAULT_INTERNALS = /from\s+['"][^'"]*vault\/(store|activity-store|case-store|address-store|history-store|key-store|keyring|crypto\/[^'"]+)\.js['"]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Invariant 1, "one door": customer data is reached only through the records gateway. */
describe('the records gateway is the only door to customer tables', () => {
  const outside = sourceFiles(SERVER).filter(
    (file) => !file.startsWith(VAULT + path.sep) && !file.includes(`${path.sep}db${path.sep}migrations${path.sep}`) && !file.endsWith(`${path.sep}db${path.sep}schema.ts`),
  );
  // The composition root builds the keyring it hands to the gateway; nothing else may.
  const COMPOSITION_ROOT = path.join(SERVER, 'app.ts');

  it('no module outside the vault names a customer table', () => {
    const offenders = outside.filter((file) => CUSTOMER_TABLES.test(fs.readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(SERVER, f))).toEqual([]);
  });

  it('no module outside the vault imports its store, keyring or ciphers', () => {
    const offenders = outside.filter((file) => file !== COMPOSITION_ROOT && VAULT_INTERNALS.test(fs.readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(SERVER, f))).toEqual([]);
  });

  it('inside the vault, only the gateway imports the customer stores', () => {
    for (const store of ['store', 'activity-store', 'address-store', 'case-store', 'history-store']) {
      const importers = sourceFiles(VAULT).filter((file) => new RegExp(`from\\s+['"]\\.\\.?/${store}\\.js['"]`).test(fs.readFileSync(file, 'utf8')));
      const outsideGateway = importers.map((f) => path.relative(VAULT, f)).filter((f) => f !== 'gateway.ts' && !f.startsWith(`gateway${path.sep}`));
      expect(outsideGateway, store).toEqual([]);
      expect(importers.length, store).toBeGreaterThan(0);
    }
  });

  it('would catch an offender (the rule is not vacuous)', () => {
    expect(CUSTOMER_TABLES.test("db.selectFrom('customers')")).toBe(true);
    expect(CUSTOMER_TABLES.test('sql`select * from customers`')).toBe(true);
    expect(CUSTOMER_TABLES.test("tags: ['customers']")).toBe(false);
    expect(VAULT_INTERNALS.test("import { findCustomer } from '../vault/store.js';")).toBe(true);
    expect(outside.length).toBeGreaterThan(20);
  });
});
