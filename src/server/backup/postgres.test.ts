import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSchema, retargetDump } from './postgres.js';

const dump = [
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'CREATE SCHEMA t_live;',
  'CREATE TABLE t_live.customers (',
  '    id text NOT NULL',
  ');',
  'CREATE VIEW t_live.audit_events AS',
  '   FROM (t_live.audit_log e JOIN t_live.audit_heads h ON ((h.chain = e.chain)));',
  'COPY t_live.customers (id, plain_values) FROM stdin;',
  'c1\t{"note":"moved from t_live.customers"}',
  'c2\tCREATE SCHEMA t_live;',
  '\\.',
  'ALTER TABLE ONLY t_live.customers ADD CONSTRAINT fk FOREIGN KEY (w) REFERENCES t_live.workspaces(id);',
  'CREATE INDEX i ON xt_live.other USING btree (id);',
  '',
].join('\n');

async function retarget(text: string, cuts: number[], from = 't_live', to = 't_copy'): Promise<string> {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* pieces() {
    let start = 0;
    for (const point of [...points, bytes.length]) {
      yield bytes.subarray(start, point);
      start = point;
    }
  }
  const out: Buffer[] = [];
  for await (const piece of retargetDump(pieces(), from, to)) out.push(piece);
  return Buffer.concat(out).toString();
}

describe('a plain dump retargeted to another schema', () => {
  it('renames the schema in statements, leaves the rows alone and drops CREATE SCHEMA — however the stream is cut', async () => {
    const expected = await retarget(dump, []);
    expect(expected).not.toContain('CREATE SCHEMA t_live;\nCREATE TABLE');
    expect(expected).toContain('CREATE TABLE t_copy.customers (');
    expect(expected).toContain('FROM (t_copy.audit_log e JOIN t_copy.audit_heads h');
    expect(expected).toContain('COPY t_copy.customers (id, plain_values) FROM stdin;\nc1\t{"note":"moved from t_live.customers"}\nc2\tCREATE SCHEMA t_live;\n\\.\n');
    expect(expected).toContain('REFERENCES t_copy.workspaces(id)');
    expect(expected).toContain('ON xt_live.other');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), async (cuts) => {
        expect(await retarget(dump, cuts)).toBe(expected);
      }),
    );
  });

  it('into the same schema, changes nothing but the CREATE SCHEMA line', async () => {
    expect(await retarget(dump, [], 't_live', 't_live')).toBe(dump.replace('CREATE SCHEMA t_live;\n', ''));
  });

  it('points a connection at a schema, whatever options its URL had', () => {
    const url = new URL(inSchema('postgres://u:p@db:5432/custos?options=-c%20search_path%3Dother&sslmode=require', 'target'));
    expect(url.searchParams.get('options')).toBe('-c search_path=target');
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(() => inSchema('postgres://db/custos', 'Robert"; drop')).toThrow();
  });
});
