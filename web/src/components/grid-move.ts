/** One row of seat ids, left to right. */
export type GridRow = string[];

// What a KeyboardEvent carries that matters here (typed apart from the DOM, so Node can test it).
interface Keys {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * Where a key press moves focus in a grid of rows (the WAI-ARIA grid pattern): arrows one seat or
 * row (kept in the same column as far as the next row reaches), Home/End to the row's ends,
 * Ctrl+Home/End to the grid's first and last seat; undefined for any other key.
 */
export function gridMove(rows: GridRow[], from: string, keys: Keys): string | undefined {
  const r = rows.findIndex((row) => row.includes(from));
  if (r < 0) return undefined;
  const s = rows[r]!.indexOf(from);
  const ctrl = keys.ctrlKey || keys.metaKey;
  const at = (row: number, seat: number) => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, row))]!;
    return target[Math.max(0, Math.min(target.length - 1, seat))];
  };
  switch (keys.key) {
    case 'ArrowLeft':
      return at(r, s - 1);
    case 'ArrowRight':
      return at(r, s + 1);
    case 'ArrowUp':
      return at(r - 1, s);
    case 'ArrowDown':
      return at(r + 1, s);
    case 'Home':
      return ctrl ? at(0, 0) : at(r, 0);
    case 'End':
      return ctrl ? at(rows.length - 1, Infinity) : at(r, Infinity);
    default:
      return undefined;
  }
}
