import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, csvField, csvLine, neutralize } from './cells.js';
import { FRAME_BYTES, openStream, sealStream } from './file-cipher.js';

/** Reads one CSV record back as RFC 4180 says (the reader Excel and LibreOffice follow). */
function readRecord(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"' || line[i + 1] === '"') {
        cell += line[i];
        i += line[i] === '"' ? 2 : 1;
      }
      i++;
    } else while (i < line.length && line[i] !== ',' && line[i] !== '\r') cell += line[i++];
    cells.push(cell);
    if (line[i] === ',') i++;
    else return cells;
  }
}

const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];

describe('cells', () => {
  it('a neutralized cell never starts a formula, and only formula starts are touched', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cell = neutralize(text);
        expect(FORMULA_START.includes(cell[0] ?? '')).toBe(false);
        expect(cell).toBe(FORMULA_START.includes(text[0] ?? '') ? `'${text}` : text);
      }),
    );
  });

  it('known payloads come out inert', () => {
    expect(neutralize('=HYPERLINK("http://evil.example","x")')).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(neutralize('+1')).toBe("'+1");
    expect(neutralize('-2')).toBe("'-2");
    expect(neutralize('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralize('\t=1')).toBe("'\t=1");
    expect(neutralize('\r=1')).toBe("'\r=1");
    expect(neutralize('a=1')).toBe('a=1');
  });

  it('a CSV record reads back as its cells (neutralized), whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '"', ',', '\r', '\n', '=', ' ', '张', '-') }), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = csvLine(cells);
        expect(line.endsWith('\r\n')).toBe(true);
        expect(readRecord(line.slice(0, -2))).toEqual(cells.map(neutralize));
      }),
    );
  });

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes values as text: lists joined, money in major units', () => {
    expect(cellText(['VIP', 'beijing'])).toBe('VIP; beijing');
    expect(cellText({ amount: 12000, currency: 'CNY' })).toBe('120.00 CNY');
    expect(cellText({ amount: 500, currency: 'JPY' })).toBe('500 JPY');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
  });
});

describe('the export file at rest', () => {
  const key = randomBytes(32);
  const seal = async (data: Buffer, id = 'e1') => buffer(Readable.from([data]).pipe(sealStream(key, id)));
  const open = async (file: Buffer, id = 'e1') => buffer(Readable.from([file]).pipe(openStream(key, id)));

  it('opens to what was sealed, for any size around the frame size', async () => {
    for (const size of [0, 1, FRAME_BYTES - 1, FRAME_BYTES, FRAME_BYTES + 1, 3 * FRAME_BYTES]) {
      const data = randomBytes(size);
      const file = await seal(data);
      if (size >= 64) expect(file.includes(data.subarray(0, 64))).toBe(false);
      expect((await open(file)).equals(data)).toBe(true);
    }
  });

  it('refuses a flipped bit, a file cut short, extra data and another export’s file', async () => {
    const file = await seal(randomBytes(2 * FRAME_BYTES + 10));
    const flipped = Buffer.from(file);
    flipped[100]! ^= 1;
    await expect(open(flipped)).rejects.toThrow(/altered/);
    await expect(open(file.subarray(0, FRAME_BYTES + 20))).rejects.toThrow(/cut short/);
    // Dropping the last frame leaves whole frames, none of them flagged last.
    await expect(open(file.subarray(0, 2 * (4 + FRAME_BYTES + 16)))).rejects.toThrow(/cut short/);
    await expect(open(Buffer.concat([file, file.subarray(0, 30)]))).rejects.toThrow(/follows the last frame|cut short/);
    await expect(open(file, 'e2')).rejects.toThrow(/altered/);
  });
});
