/**
 * A file that cannot be read as a table at all (legacy .xls, UTF-16, broken quoting, no header):
 * the import as a whole fails with `unreadable_file`. The message names a line or the problem,
 * never cell contents, so it is safe to log and show.
 */
export class SourceError extends Error {
  readonly code = 'unreadable_file';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}
