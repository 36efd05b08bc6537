import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine, neutralize } from './cells.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/exports.js';

export { EXPORT_FORMATS, type ExportFormat };

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows of text cells into a file's bytes, written to `out` as they come. */
export interface RowWriter {
  row(cells: readonly string[]): Promise<void>;
  /** Writes what the format keeps for its end; `out` is ended. */
  end(): Promise<void>;
}

/** Excel reads a CSV as UTF-8 (Chinese names included) only when it starts with a byte order mark. */
const BOM = '\uFEFF';

function csvWriter(out: Writable): RowWriter {
  let started = false;
  return {
    async row(cells) {
      const line = (started ? '' : BOM) + csvLine(cells);
      started = true;
      if (!out.write(line, 'utf8')) await once(out, 'drain');
    },
    async end() {
      out.end();
    },
  };
}

/**
 * XLSX through exceljs's streaming writer: each row is committed as it comes (memory stays one
 * row), and every value is a string cell — never a formula, and neutralized like a CSV cell
 * for the programs that would evaluate a text starting with "=" once it is edited.
 */
function xlsxWriter(out: Writable): RowWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Customers');
  return {
    async row(cells) {
      sheet.addRow(cells.map(neutralize)).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

export function rowWriter(format: ExportFormat, out: Writable): RowWriter {
  return format === 'csv' ? csvWriter(out) : xlsxWriter(out);
}
