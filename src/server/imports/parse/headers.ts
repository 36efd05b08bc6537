/**
 * The header row as column names: trimmed, without a byte order mark, trailing empty cells
 * dropped (a stray delimiter at the end of the line), an empty name called `Column N` after its
 * position, and a repeated name made unique with ` (2)`, ` (3)`… so the mapping file and the
 * error report can name every column. Applying it twice changes nothing.
 */
export function normalizeHeaders(cells: readonly string[]): string[] {
  const names = cells.map((cell) => cell.replace(/\uFEFF/g, '').trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const taken = new Set<string>();
  return names.map((name, index) => {
    const base = name === '' ? `Column ${index + 1}` : name;
    let unique = base;
    for (let copy = 2; taken.has(unique); copy++) unique = `${base} (${copy})`;
    taken.add(unique);
    return unique;
  });
}
