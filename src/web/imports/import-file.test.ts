import { describe, expect, it } from 'vitest';
import { checkImportFile } from './import-file.js';
import { MAX_IMPORT_BYTES } from './imports-api.js';

describe('checkImportFile', () => {
  it.each(['customers.csv', '客户.CSV', 'export.txt', 'Book1.xlsx'])('takes %s', (name) => {
    expect(checkImportFile({ name, size: 1024 })).toBeNull();
  });

  it.each(['customers.xls', 'notes.docx', 'archive.csv.zip', 'csv'])('refuses %s as the wrong type', (name) => {
    expect(checkImportFile({ name, size: 1024 })?.kind).toBe('wrongType');
  });

  it('takes 512 MiB and refuses a byte more', () => {
    expect(checkImportFile({ name: 'big.csv', size: MAX_IMPORT_BYTES })).toBeNull();
    expect(checkImportFile({ name: 'big.csv', size: MAX_IMPORT_BYTES + 1 })).toEqual({ kind: 'tooLarge', name: 'big.csv', size: MAX_IMPORT_BYTES + 1 });
  });
});
