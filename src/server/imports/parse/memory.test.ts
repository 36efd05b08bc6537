import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSource, readRows } from './source.js';

/** 200,000 rows by default (a few seconds); CI reads a million (CUSTOS_TEST_LARGE_ROWS=1000000), issue 7's bound. */
const ROWS = Number(process.env.CUSTOS_TEST_LARGE_ROWS ?? 200_000);
const MiB = 2 ** 20;
let dir: string;
let file: string;

/** About 220 bytes a row of CSV (44 MB for 200k), written as it is generated: the test itself never holds the file either. */
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-memory-'));
  file = path.join(dir, 'large.csv');
  async function* lines() {
    yield '姓名,手机,邮箱,身份证号,公司,城市,地址,备注\n';
    for (let i = 1; i <= ROWS; i++) {
      yield `客户${i},138${String(i).padStart(8, '0')},user${i}@example.com,11010519491231002X,"某某科技有限公司, 第${i % 97}部",北京,北京市海淀区中关村大街${i}号院${i % 13}号楼,"备注 ""${i}"" ${'x'.repeat(i % 50)}"\n`;
    }
  }
  await pipeline(Readable.from(lines()), fs.createWriteStream(file));
}, 600_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reading a large file', () => {
  it(`streams ${ROWS.toLocaleString('en')} rows with bounded heap growth`, async () => {
    expect(fs.statSync(file).size).toBeGreaterThan(ROWS * 200);
    const open = () => fs.createReadStream(file);
    const info = await inspectSource(open, 'large.csv');
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let count = 0;
    let last = 0;
    for await (const row of readRows(open, info)) {
      count++;
      last = row.row;
      if (count % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(ROWS);
    expect(last).toBe(ROWS);
    expect((peak - baseline) / MiB).toBeLessThan(64);
  }, 600_000);
});
