/**
 * The hall as a hand-picking buyer sees it (GET /api/shows/:id/seats, compact rows of a/h/s) and
 * what the best-available comparison counts on it: blocks a buyer would pick, orphans, togetherness.
 * Sections come in rank order (the seeded shows are dearest first); seats are numbered from 1, no aisles.
 */
export interface HallSection {
  id: string;
  /** One string per row, a character per seat: `a` free, anything else taken. */
  rows: string[];
}

export function hallOf(body: any): HallSection[] {
  const sections = Array.isArray(body?.sections) ? body.sections : [];
  return sections.map((section: any) => ({ id: String(section.id), rows: (section.rows ?? []).map(String) }));
}

/** An empty hall (every seat `a`) from the seed's seat ids: sections in the order they first appear. */
export function layoutOf(seats: string[]): HallSection[] {
  const sizes = new Map<string, { rows: number; perRow: number }>();
  for (const id of seats) {
    const match = /^(.+)-(\d+)-(\d+)$/.exec(id);
    if (!match) continue;
    const size = sizes.get(match[1]!) ?? { rows: 0, perRow: 0 };
    sizes.set(match[1]!, { rows: Math.max(size.rows, Number(match[2])), perRow: Math.max(size.perRow, Number(match[3])) });
  }
  return [...sizes].map(([id, size]) => ({ id, rows: Array.from({ length: size.rows }, () => 'a'.repeat(size.perRow)) }));
}

export function freeSeats(hall: HallSection[]): number {
  let free = 0;
  for (const section of hall) for (const row of section.rows) for (const code of row) if (code === 'a') free++;
  return free;
}

/** Single free seats between taken seats or a row end: nobody in a party of two or more can sit there. */
export function orphans(hall: HallSection[]): number {
  let count = 0;
  for (const section of hall) {
    for (const row of section.rows) {
      for (let i = 0; i < row.length; i++) if (row[i] === 'a' && row[i - 1] !== 'a' && row[i + 1] !== 'a') count++;
    }
  }
  return count;
}

export interface Block {
  seats: string[];
  score: number;
}

/**
 * Every placement of k adjacent free seats in the given sections, best first by the documented
 * score (rows nearer the stage, then the middle of the row), at most `limit` of them.
 */
export function bestBlocks(hall: HallSection[], k: number, limit: number): Block[] {
  const blocks: Block[] = [];
  for (const section of hall) {
    section.rows.forEach((row, r) => {
      const middle = (row.length + 1) / 2;
      for (let start = 0; start + k <= row.length; start++) {
        if (
          !row
            .slice(start, start + k)
            .split('')
            .every((code) => code === 'a')
        )
          continue;
        let score = 0;
        const seats: string[] = [];
        for (let n = start + 1; n <= start + k; n++) {
          score += 1000 * r + Math.abs(n - middle);
          seats.push(`${section.id}-${r + 1}-${n}`);
        }
        blocks.push({ seats, score });
      }
    });
    // sections are in rank order: a buyer settles for the best section that has a block at all
    if (blocks.length > 0) break;
  }
  return blocks.sort((a, b) => a.score - b.score).slice(0, limit);
}

/** The k best free seats wherever they are (a party that gives up on sitting together). */
export function scatteredSeats(hall: HallSection[], k: number): string[] {
  const seats: Array<{ id: string; rank: number; score: number }> = [];
  hall.forEach((section, rank) =>
    section.rows.forEach((row, r) => {
      const middle = (row.length + 1) / 2;
      for (let n = 1; n <= row.length; n++)
        if (row[n - 1] === 'a') seats.push({ id: `${section.id}-${r + 1}-${n}`, rank, score: 1000 * r + Math.abs(n - middle) });
    }),
  );
  seats.sort((a, b) => a.rank - b.rank || a.score - b.score);
  return seats.slice(0, k).map((seat) => seat.id);
}

/** Whether seat ids `<section>-<row>-<n>` sit side by side in one row (no aisles in the seeded halls). */
export function together(seats: string[]): boolean {
  if (seats.length <= 1) return true;
  const parts = seats.map((id) => /^(.+)-(\d+)-(\d+)$/.exec(id)).map((m) => ({ row: `${m?.[1]}-${m?.[2]}`, n: Number(m?.[3]) }));
  if (parts.some((part) => part.row !== parts[0]!.row)) return false;
  const numbers = parts.map((part) => part.n).sort((a, b) => a - b);
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
}
