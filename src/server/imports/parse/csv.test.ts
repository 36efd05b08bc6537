import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS } from '../../vault/built-in-fields.js';
import { autoMap } from './auto-map.js';
import { DELIMITERS, detectDelimiter } from './delimiter.js';
import { detectEncoding, type SourceEncoding } from './encoding.js';
import { normalizeHeaders } from './headers.js';
import { SourceError } from './source-error.js';
import { inspectSource, readRows, type SourceInfo } from './source.js';

/** An RFC 4180 writer: quotes a cell only when it must, so unquoted cells still test detection. */
function writeCsvRow(cells: readonly string[], delimiter: string): string {
  return cells.map((cell) => (cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(delimiter);
}

function encode(text: string, encoding: SourceEncoding): Buffer {
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  return Buffer.concat([encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

/** A fresh stream over the bytes on each call, in small chunks so characters and records straddle them. */
const opener = (bytes: Buffer, chunk = 7) => () => {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) pieces.push(bytes.subarray(at, at + chunk));
  return Readable.from(pieces);
};

async function readAll(open: () => NodeJS.ReadableStream, info: SourceInfo, skip?: number) {
  const rows: { row: number; cells: string[] }[] = [];
  for await (const row of readRows(open, info, { skip })) rows.push(row);
  return rows;
}

const HEADER = ['姓名', '手机', '备注'];
const cellChars = (encoding: SourceEncoding) =>
  fc.constantFrom(...'ab Z09-', ...',;\t|', '"', '\n', '\r\n', ...'张三李四北京，、', ...(encoding === 'gbk' ? [] : ['😀', 'é', '𠀀']));
const cell = (encoding: SourceEncoding) => fc.array(cellChars(encoding), { maxLength: 8 }).map((chars) => chars.join(''));
const table = (encoding: SourceEncoding) =>
  fc.array(
    fc.tuple(cell(encoding), cell(encoding), cell(encoding)).filter((cells) => cells.some((c) => c.trim() !== '')),
    { minLength: 1, maxLength: 12 },
  );

describe('reading CSV', () => {
  for (const encoding of ['utf-8', 'utf-8-bom', 'gbk'] as const) {
    for (const delimiter of DELIMITERS) {
      it(`reads back what a quoting writer wrote (${encoding}, ${JSON.stringify(delimiter)})`, async () => {
        await fc.assert(
          fc.asyncProperty(table(encoding), fc.constantFrom('\n', '\r\n'), async (rows, newline) => {
            const bytes = encode([HEADER, ...rows].map((row) => writeCsvRow(row, delimiter)).join(newline) + newline, encoding);
            const info = await inspectSource(opener(bytes), 'customers.csv');
            expect(info).toMatchObject({ format: 'csv', encoding, delimiter, headers: HEADER });
            expect(info.sample).toEqual(rows.slice(0, 5));
            const read = await readAll(opener(bytes), info);
            expect(read.map((row) => row.cells)).toEqual(rows);
            expect(read.map((row) => row.row)).toEqual(rows.map((_, index) => index + 1));
          }),
          { numRuns: 40 },
        );
      });
    }
  }

  it('reads a GBK file exported by Chinese Excel and maps its columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-parse-'));
    try {
      const file = path.join(dir, '客户.csv');
      const text = ['姓名,手机,邮箱,身份证号,公司,城市', '张三,13800138000,zhang@example.cn,11010519491231002X,"北京某某科技有限公司,研发部",北京', '李四,13900139000,,,,上海', ''].join('\r\n');
      fs.writeFileSync(file, iconv.encode(text, 'gbk'));
      const open = () => fs.createReadStream(file);
      const info = await inspectSource(open, '客户.csv');
      expect(info).toMatchObject({ format: 'csv', encoding: 'gbk', delimiter: ',', headers: ['姓名', '手机', '邮箱', '身份证号', '公司', '城市'] });
      const person = BUILT_IN_FIELDS.filter((field) => field.kind === 'person');
      expect(autoMap(info.headers, person)).toEqual(['name', 'phone', 'email', 'nationalId', 'companyName', 'city']);
      expect(await readAll(open, info)).toEqual([
        { row: 1, cells: ['张三', '13800138000', 'zhang@example.cn', '11010519491231002X', '北京某某科技有限公司,研发部', '北京'] },
        { row: 2, cells: ['李四', '13900139000', '', '', '', '上海'] },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pads short rows, cuts long ones, and skips blank lines while keeping their numbers', async () => {
    const bytes = Buffer.from('\n a , b ,b,\n1\n\n,,,\n1,2,3,4,5\r\n"x\ny",,\n');
    const info = await inspectSource(opener(bytes), 'x.csv');
    expect(info.headers).toEqual(['a', 'b', 'b (2)']);
    expect(await readAll(opener(bytes), info)).toEqual([
      { row: 1, cells: ['1', '', ''] },
      { row: 4, cells: ['1', '2', '3'] },
      { row: 5, cells: ['x\ny', '', ''] },
    ]);
  });

  it('numbers rows the same when resuming after any row as in a full read', async () => {
    await fc.assert(
      fc.asyncProperty(table('utf-8'), fc.array(fc.boolean(), { maxLength: 12 }), fc.nat(14), async (rows, blanks, skip) => {
        const lines = [HEADER, ...rows].flatMap((row, index) => (blanks[index] ? [row, ['', '', '']] : [row]));
        const bytes = Buffer.from(lines.map((row) => writeCsvRow(row, ',')).join('\n'));
        const info = await inspectSource(opener(bytes), 'x.csv');
        const full = await readAll(opener(bytes), info);
        expect(await readAll(opener(bytes), info, skip)).toEqual(full.filter((row) => row.row > skip));
      }),
      { numRuns: 60 },
    );
  });

  it('stops reading the file once the consumer stops', async () => {
    let destroyed = false;
    const lines = Array.from({ length: 10_000 }, (_, i) => `${i},x`).join('\n');
    const open = () => {
      const stream = Readable.from([Buffer.from(`id,v\n${lines}`)]);
      stream.on('close', () => (destroyed = true));
      return stream;
    };
    const info = await inspectSource(open, 'x.csv');
    for await (const row of readRows(open, info)) if (row.row === 3) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(destroyed).toBe(true);
  });

  it('refuses a file whose quote never closes, naming the line but no content', async () => {
    const bytes = Buffer.from('a,b\n1,2\n"secret,3\n4,5\n');
    await expect(inspectSource(opener(bytes), 'x.csv')).rejects.toBeInstanceOf(SourceError);
    const info: SourceInfo = { format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['a', 'b'] };
    const error = await readAll(opener(bytes), info).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('unreadable_file');
    expect((error as Error).message).toMatch(/row 3 /);
    expect((error as Error).message).not.toMatch(/secret/);
  });

  it('refuses a row over 1 MiB instead of buffering the rest of the file', async () => {
    const bytes = Buffer.from(`a,b\n1,"${'x'.repeat(1_100_000)}\n2,3\n`);
    const info: SourceInfo = { format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['a', 'b'] };
    await expect(readAll(opener(bytes, 65_536), info)).rejects.toThrow(/line 2: a row longer than 1 MiB/);
  });

  it.each([
    ['legacy .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'a.xls', /\.xls/],
    ['UTF-16', Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'a.csv', /UTF-16/],
    ['binary', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]), 'a.csv', /not text/],
    ['empty', Buffer.from('\n\n'), 'a.csv', /empty/],
    ['xlsx name, text content', Buffer.from('a,b\n'), 'a.xlsx', /not a valid Excel/],
  ])('refuses a %s file as unreadable', async (_name, bytes, fileName, message) => {
    await expect(inspectSource(opener(bytes), fileName)).rejects.toThrow(message);
    await expect(inspectSource(opener(bytes), fileName)).rejects.toBeInstanceOf(SourceError);
  });

  it('stops with a clear error when a file that starts as UTF-8 turns to GBK, and reads it when told', async () => {
    const ascii = Array.from({ length: 4_000 }, (_, i) => `${i},customer${i}`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`id,name\n${ascii}\n`), iconv.encode('4000,张三\n', 'gbk')]);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const info = await inspectSource(opener(bytes, 4096), 'x.csv');
    expect(info.encoding).toBe('utf-8');
    await expect(readAll(opener(bytes, 4096), info)).rejects.toThrow(/not valid UTF-8.*GBK/);
    const told = await inspectSource(opener(bytes, 4096), 'x.csv', { encoding: 'gbk' });
    expect((await readAll(opener(bytes, 4096), told)).at(-1)).toEqual({ row: 4001, cells: ['4000', '张三'] });
  });

  it('uses the encoding and delimiter hints over detection', async () => {
    const bytes = iconv.encode('名称;城市\n甲;乙\n', 'gbk');
    const info = await inspectSource(opener(bytes), 'x.csv', { encoding: 'gbk', delimiter: ',' });
    expect(info).toMatchObject({ encoding: 'gbk', delimiter: ',', headers: ['名称;城市'] });
  });
});

describe('detectEncoding', () => {
  it('does not hold a character cut at the end of the sample against UTF-8', () => {
    const bytes = Buffer.from('姓名,城市\n张三,北京', 'utf8');
    for (let cut = 1; cut <= bytes.length; cut++) expect(detectEncoding(bytes.subarray(0, cut), false)).toBe('utf-8');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), true)).toBe('gbk');
  });

  it('tells GBK Chinese text from UTF-8', () => {
    fc.assert(
      // 司 alone is ambiguous: its GBK bytes (CB BE) are also a valid two-byte UTF-8 character, so a text of nothing else is too.
      fc.property(fc.array(fc.constantFrom(...'张三李四王五赵六北京上海广州深圳有限公司客户姓名手机'), { minLength: 2, maxLength: 40 }).filter((chars) => chars.some((c) => c !== '司')), (chars) => {
        const text = chars.join('');
        expect(detectEncoding(Buffer.from(text, 'utf8'), true)).toBe('utf-8');
        expect(detectEncoding(iconv.encode(text, 'gbk'), true)).toBe('gbk');
      }),
    );
  });
});

describe('detectDelimiter', () => {
  const name = fc.stringMatching(/^[A-Za-z\u4e00-\u4e10][A-Za-z0-9 \u4e00-\u4e10]{0,8}$/);
  const anyCell = fc.string({ unit: fc.constantFrom(...'ab1 ,;\t|"\n张'), maxLength: 6 });

  it('finds the delimiter of any table with two or more columns, whatever the quoted cells hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DELIMITERS), fc.uniqueArray(name, { minLength: 2, maxLength: 8 }), fc.array(fc.array(anyCell, { minLength: 8, maxLength: 8 }), { maxLength: 10 }), (delimiter, header, rows) => {
        const quoteAll = (cells: string[]) => cells.map((c) => (/[,;\t|"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter);
        const text = [header, ...rows.map((row) => row.slice(0, header.length))].map(quoteAll).join('\n');
        expect(detectDelimiter(text, true)).toBe(delimiter);
      }),
    );
  });

  it('reads a single column with a comma and ignores a record cut at the sample end', () => {
    expect(detectDelimiter('name\nAlice\nBob', true)).toBe(',');
    expect(detectDelimiter('a;b\n1;2\n"3;4', false)).toBe(';');
    expect(detectDelimiter('"a,b";c\n1;2\n', true)).toBe(';');
  });
});

describe('normalizeHeaders', () => {
  it('is idempotent and always gives unique, non-empty names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'A', ' ', '\uFEFF', '(', '2', ')', '姓'), maxLength: 6 }), { maxLength: 12 }), (cells) => {
        const once = normalizeHeaders(cells);
        expect(normalizeHeaders(once)).toEqual(once);
        expect(new Set(once).size).toBe(once.length);
        for (const header of once) expect(header).toBe(header.trim());
        for (const header of once) expect(header).not.toBe('');
      }),
    );
  });
});

describe('a temporary directory is used only by the fixture', () => {
  let before: string[];
  beforeAll(() => (before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('custos-parse-'))));
  afterAll(() => expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('custos-parse-'))).toEqual(before));
  it('cleans up after itself', () => expect(before).toBeDefined());
});
