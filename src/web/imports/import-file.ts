import { MAX_IMPORT_BYTES } from './imports-api.js';

/** What the server reads: delimited text (any delimiter, UTF-8 or GBK) and Excel workbooks. */
export const ACCEPTED_EXTENSIONS = ['.csv', '.txt', '.xlsx'] as const;

export interface FileProblem {
  kind: 'tooLarge' | 'wrongType';
  name: string;
  size: number;
}

/** Why a chosen file is not sent, told before a byte leaves: the wrong type, or beyond the server's limit. */
export function checkImportFile(file: Pick<File, 'name' | 'size'>): FileProblem | null {
  const name = file.name.toLowerCase();
  if (!ACCEPTED_EXTENSIONS.some((extension) => name.endsWith(extension))) return { kind: 'wrongType', name: file.name, size: file.size };
  if (file.size > MAX_IMPORT_BYTES) return { kind: 'tooLarge', name: file.name, size: file.size };
  return null;
}
