/**
 * The import's input layer (issue 7): pure and streaming — reading CSV and XLSX files row by
 * row, guessing encoding, delimiter and column mapping, and turning cells into field inputs.
 * It touches no database; the import pipeline (src/server/imports) drives it.
 */
export { inspectSource, readRows, type SourceFormat, type SourceInfo, type SourceRow } from './source.js';
export { SOURCE_ENCODINGS, type SourceEncoding } from './encoding.js';
export { DELIMITERS, type Delimiter } from './delimiter.js';
export { SourceError } from './source-error.js';
export { normalizeHeaders } from './headers.js';
export { autoMap, matchKey, type MappableField } from './auto-map.js';
export { cellToInput, CellError, type CellOptions, type CellProblem } from './cells.js';
export { applyMapping, MappingFile, parseMappingFile, type MappingFileValue } from './mapping-file.js';
