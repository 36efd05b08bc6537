import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SourceError } from './source-error.js';
import { inspectSource, readRows, type SourceInfo } from './source.js';
import { cellText, plainNumber } from './xlsx.js';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-xlsx-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const opener = (file: string) => () => fs.createReadStream(file);

async function readAll(file: string, info: SourceInfo, skip?: number) {
  const rows: { row: number; cells: string[] }[] = [];
  for await (const row of readRows(opener(file), info, { skip })) rows.push(row);
  return rows;
}

/** A workbook as Excel users make them: typed cells, formats, a blank row, a second sheet. */
async function customersWorkbook(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['姓名', ' 手机 ', '出生日期', '登记时间', '积分', '备注', '姓名', '是否VIP']);
  sheet.addRow([
    '张三',
    13800138000,
    new Date(Date.UTC(1990, 2, 5)),
    new Date(Date.UTC(2024, 0, 2, 9, 30, 15)),
    { formula: 'B2/1000000', result: 13800.138 },
    { richText: [{ text: '老' }, { text: '客户', font: { bold: true } }, { text: ' 😀' }] },
    'Zhang',
    true,
  ]);
  sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
  sheet.getCell('D2').numFmt = 'yyyy-mm-dd hh:mm:ss';
  sheet.addRow([]);
  sheet.addRow(['李四', 1.5e21, new Date(Date.UTC(2000, 1, 29)), null, 0.1, { text: 'site', hyperlink: 'https://example.com' }]);
  sheet.getCell('C4').numFmt = 'm/d/yy';
  sheet.addRow(['王五', '013800', 45356, { error: '#N/A' }, -0.000001, '多\n行', '', false]);
  workbook.addWorksheet('Other').addRow(['ignored']);
  await workbook.xlsx.writeFile(file);
}

describe('reading XLSX', () => {
  it('reads the first sheet with dates as ISO 8601, numbers in full, rich text joined and formulas as results', async () => {
    const file = path.join(dir, 'customers.xlsx');
    await customersWorkbook(file);
    const info = await inspectSource(opener(file), 'customers.xlsx');
    expect(info).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, headers: ['姓名', '手机', '出生日期', '登记时间', '积分', '备注', '姓名 (2)', '是否VIP'] });
    const rows = [
      { row: 1, cells: ['张三', '13800138000', '1990-03-05', '2024-01-02T09:30:15', '13800.138', '老客户 😀', 'Zhang', 'TRUE'] },
      { row: 3, cells: ['李四', '1500000000000000000000', '2000-02-29', '', '0.1', 'site', '', ''] },
      { row: 4, cells: ['王五', '013800', '45356', '', '-0.000001', '多\n行', '', 'FALSE'] },
    ];
    expect(info.sample).toEqual(rows.map((row) => row.cells));
    expect(await readAll(file, info)).toEqual(rows);
    expect(await readAll(file, info, 1)).toEqual(rows.slice(1));
    expect(await readAll(file, info, 3)).toEqual(rows.slice(2));
  });

  it('reads the first tab, even when its sheet file is not the first in the archive', async () => {
    const file = path.join(dir, 'order.xlsx');
    const workbook = new ExcelJS.Workbook();
    const second = workbook.addWorksheet('Second');
    second.addRow(['second']);
    second.addRow(['2']);
    const first = workbook.addWorksheet('First');
    first.addRow(['first']);
    first.addRow(['1']);
    // Tab order, which exceljs writes to workbook.xml but leaves out of its typings.
    Object.assign(first, { orderNo: 0 });
    Object.assign(second, { orderNo: 1 });
    await workbook.xlsx.writeFile(file);
    const info = await inspectSource(opener(file), 'order.xlsx');
    expect(info.headers).toEqual(['first']);
    expect(await readAll(file, info)).toEqual([{ row: 1, cells: ['1'] }]);
  });

  it('never writes the sheet to a temporary file', async () => {
    const tmp = createRequire(createRequire(import.meta.url).resolve('exceljs'))('tmp') as { file: (...args: unknown[]) => void };
    const spy = vi.spyOn(tmp, 'file');
    try {
      const file = path.join(dir, 'no-temp.xlsx');
      await customersWorkbook(file);
      const info = await inspectSource(opener(file), 'no-temp.xlsx');
      expect((await readAll(file, info)).length).toBe(3);
      expect(spy).not.toHaveBeenCalled();
      // The check is not vacuous: exceljs left to itself copies the sheet out.
      for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), {})) for await (const _row of sheet) continue;
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  for (const useSharedStrings of [true, false]) {
    it(`streams a large sheet from a streaming writer (shared strings: ${useSharedStrings}) and resumes with the same numbers`, async () => {
      const file = path.join(dir, `large-${useSharedStrings}.xlsx`);
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings, useStyles: true });
      const sheet = writer.addWorksheet('Data');
      sheet.addRow(['id', 'name', 'phone']).commit();
      for (let i = 1; i <= 3000; i++) sheet.addRow(i % 100 === 0 ? [] : [i, `客户${i}`, `138${String(i).padStart(8, '0')}`]).commit();
      await writer.commit();
      const info = await inspectSource(opener(file), 'large.xlsx');
      expect(info.headers).toEqual(['id', 'name', 'phone']);
      const full = await readAll(file, info);
      expect(full.length).toBe(2970);
      expect(full[0]).toEqual({ row: 1, cells: ['1', '客户1', '13800000001'] });
      expect(full.at(-1)).toEqual({ row: 2999, cells: ['2999', '客户2999', '13800002999'] });
      for (const skip of [0, 99, 100, 101, 2998, 3000]) expect(await readAll(file, info, skip)).toEqual(full.filter((row) => row.row > skip));
    });
  }

  it('refuses a damaged workbook as unreadable', async () => {
    const file = path.join(dir, 'broken.xlsx');
    await customersWorkbook(file);
    fs.truncateSync(file, 600);
    await expect(inspectSource(opener(file), 'broken.xlsx')).rejects.toBeInstanceOf(SourceError);
  });
});

describe('cell text', () => {
  it('writes every finite number in full, without exponent, and exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = plainNumber(value);
        expect(text).not.toMatch(/e/i);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
    );
  });

  it.each([
    [null, ''],
    [42, '42'],
    [13800138000, '13800138000'],
    [1e-7, '0.0000001'],
    [{ formula: 'A1', result: { error: '#DIV/0!' } }, ''],
    [{ sharedFormula: 'A1', result: 'x' }, 'x'],
    [{ error: '#N/A' }, ''],
    [new Date(Date.UTC(1899, 11, 30, 13, 5)), '13:05:00'],
    [new Date(Date.UTC(2024, 2, 5, 23, 59, 59, 700)), '2024-03-06'],
  ])('%j → %j', (value, text) => {
    expect(cellText(value)).toBe(text);
  });
});
