export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Records looked at: enough to see a pattern, few enough that a long sample stays cheap. */
const SAMPLE_RECORDS = 50;

/**
 * The delimiter of a CSV sample: for each candidate, how many of the first records split into
 * the same number of fields as the header (more than one), quotes respected so a comma inside
 * `"Beijing, China"` does not count. The most consistent candidate wins, then the one giving
 * more fields; a file of one column, or one where nothing splits, is read with a comma.
 * `complete` says the sample is the whole file; otherwise its last, possibly cut, record is ignored.
 */
export function detectDelimiter(sample: string, complete: boolean): Delimiter {
  let best: Delimiter = ',';
  let bestScore = 0;
  let bestFields = 1;
  for (const delimiter of DELIMITERS) {
    const counts = fieldCounts(sample, delimiter, complete);
    const header = counts[0] ?? 1;
    if (header < 2) continue;
    const score = counts.filter((count) => count === header).length;
    if (score > bestScore || (score === bestScore && header > bestFields)) {
      best = delimiter;
      bestScore = score;
      bestFields = header;
    }
  }
  return best;
}

/** Fields per non-blank record of the sample, for one delimiter (RFC 4180 quoting). */
function fieldCounts(sample: string, delimiter: string, complete: boolean): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let blank = true;
  let atFieldStart = true;
  for (let i = 0; i < sample.length && counts.length < SAMPLE_RECORDS; i++) {
    const char = sample[i]!;
    if (quoted) {
      if (char === '"') {
        if (sample[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (char === '"' && atFieldStart) {
      quoted = true;
      blank = false;
      atFieldStart = false;
    } else if (char === delimiter) {
      fields++;
      blank = false;
      atFieldStart = true;
    } else if (char === '\n' || char === '\r') {
      if (!blank) counts.push(fields);
      fields = 1;
      blank = true;
      atFieldStart = true;
    } else {
      if (char !== ' ') blank = false;
      atFieldStart = false;
    }
  }
  if (complete && !blank && counts.length < SAMPLE_RECORDS) counts.push(fields);
  return counts;
}
