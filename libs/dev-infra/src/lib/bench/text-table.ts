/** A fixed number of decimals, or `-` for a figure that was not measured (NaN) or cannot be (Infinity). */
export const formatNumber = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Milliseconds with two decimals below 10 ms (where they still mean something), one above. */
export const formatMs = (n: number): string => formatNumber(n, n < 10 ? 2 : 1);

/** Aligned plain-text columns: the first (the row's label) to the left, figures to the right, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const columns = Math.max(0, ...rows.map((cells) => cells.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((cells) => (cells[c] ?? '').length)));
  return rows.map((cells) =>
    widths
      .map((width, c) => (c === 0 ? (cells[c] ?? '').padEnd(width) : (cells[c] ?? '').padStart(width)))
      .join('  ')
      .trimEnd(),
  );
}
