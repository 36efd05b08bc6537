// The import benchmark's input: a customer list as companies hand them over — a Chinese Excel
// export saved as CSV (UTF-8 with a BOM), Chinese headers, phones and dates written every which
// way (as the demo generator writes them), e-mails in capitals with stray spaces, full-width characters and spaces inside names, a
// few rows a validator must refuse, rows that repeat an earlier one and people entered twice.
// Deterministic (the demo generator's seed), streamed to disk (a million rows never sit in memory).
import fs from 'node:fs';
import { once } from 'node:events';
import { CHINESE_CITIES } from '../src/server/demo/tables.js';
import { createDemoGenerator, type DemoPerson } from '../src/server/demo/generate.js';

export const IMPORT_HEADER = ['客户编号', '姓名', '手机', '邮箱', '身份证号', '性别', '出生日期', '城市', '地址', '标签', '来源'];

/** What the file holds by construction, to compare with what the import reports. */
export interface MessyFile {
  rows: number;
  bytes: number;
  /** Rows with a phone or an e-mail no validator accepts. */
  invalid: number;
  /** Rows repeating an earlier row's customer number (and the rest of it). */
  repeats: number;
  /** People entered a second time under another number, with the same name and city. */
  reentered: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const GENDER: Record<string, readonly string[]> = { female: ['女', 'F', 'female'], male: ['男', 'M', 'male'], other: ['其他'], undisclosed: ['保密'] };

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Writes `rows` data rows to `file`; returns what it put in. */
export async function writeMessyCsv(file: string, rows: number, seed = 7): Promise<MessyFile> {
  const generator = createDemoGenerator(seed);
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`\uFEFF${IMPORT_HEADER.join(',')}\r\n`);
  let invalid = 0;
  let repeats = 0;
  let reentered = 0;
  let bytes = 0;
  const recent: string[] = [];
  let last: { person: DemoPerson; city: string } | null = null;
  for (let i = 0, drawn = 0; i < rows; i++) {
    // About one row in 50 repeats a row written shortly before (an export run twice, a paste twice).
    if (i % 50 === 49 && recent.length > 0) {
      const line = recent[(i * 7) % recent.length]!;
      repeats++;
      bytes += Buffer.byteLength(line);
      await write(line);
      continue;
    }
    let person: DemoPerson;
    let city: string;
    let number = `C${pad(i, 8)}`;
    // One row in 100 is the person of the row before, typed in again under a new number and without contact details.
    const again = i % 100 === 37 && last !== null;
    if (again) {
      reentered++;
      ({ person, city } = last!);
      person = { ...person, email: '', phone: '', nationalId: '' } as DemoPerson;
      number = `D${pad(i, 8)}`;
    } else {
      do person = generator.customer(drawn++) as DemoPerson;
      while (person.kind !== 'person');
      city = CHINESE_CITIES[(drawn * 31) % CHINESE_CITIES.length]!.city;
      last = { person, city };
    }
    let email = person.email;
    let phone = person.phone;
    // One row in 70 has a phone or e-mail nobody can reach.
    if (i % 70 === 11 && !again) {
      invalid++;
      if (i % 140 === 11) phone = '12345';
      else email = email.replace('@', ' at ');
    }
    const han = /^\p{Script=Han}+$/u.test(person.name);
    const name = han && i % 20 === 3 ? [...person.name].join(' ') : i % 20 === 7 ? `${person.name}\u3000` : person.name;
    const cells = [
      number,
      name,
      phone,
      i % 3 === 0 ? ` ${email.toUpperCase()} ` : email,
      person.nationalId ?? '',
      person.gender ? GENDER[person.gender]![i % GENDER[person.gender]!.length]! : '',
      person.birthDate ?? '',
      city,
      person.address ?? '',
      i % 4 === 0 ? 'VIP、老客户' : '',
      ['展会', '官网', '转介绍', ''][i % 4]!,
    ];
    const line = `${cells.map(quote).join(',')}\r\n`;
    recent.push(line);
    if (recent.length > 64) recent.shift();
    bytes += Buffer.byteLength(line);
    await write(line);
  }
  out.end();
  await once(out, 'close');
  return { rows, bytes, invalid, repeats, reentered };
}
