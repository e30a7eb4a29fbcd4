import type { RunRow } from './report.js';

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/**
 * Best available against hand-picking, for the same crowd in the same command: one markdown row
 * per run, each rate also as a ratio to the first hand-picking row.
 */
export function formatPartySale(rows: RunRow[]): string {
  const sales = rows.filter((row) => row.sale);
  const baseline = sales.find((row) => row.name.startsWith('hand-picking'));
  const rate = (row: RunRow) => row.stats.bookings / row.stats.seconds;
  const header = [
    'run',
    'VUs',
    'seats sold',
    'seconds',
    'confirmed bookings/s',
    'ratio',
    'seats/s',
    '409s per booking: taken first',
    '409s per booking: told what is left',
    'parties together (first 90 %)',
    'orphans at 90 % sold',
    'orphans at the end (free seats)',
    'gave up',
    'load avg',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of sales) {
    const sale = row.sale!;
    const cells = [
      row.name,
      String(row.connections),
      `${sale.seatsSold} / ${sale.capacity}`,
      fixed(row.stats.seconds, 1),
      fixed(rate(row), 0),
      baseline ? `${fixed(rate(row) / rate(baseline), 2)}×` : '–',
      fixed(sale.seatsSold / row.stats.seconds, 0),
      fixed(sale.collisions / Math.max(1, row.stats.bookings), 2),
      fixed(sale.refusals / Math.max(1, row.stats.bookings), 2),
      sale.early > 0 ? `${fixed((100 * sale.earlyTogether) / sale.early, 1)} %` : '–',
      String(sale.orphansAt90 ?? '–'),
      `${sale.orphans()} (${sale.capacity - sale.seatsSold})`,
      String(sale.gaveUp),
      row.loadAverage ?? '–',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `\nbest available against hand-picking, the same crowd (parties of 1–6, 80 % wanting the best section):\n\n${lines.join('\n')}`;
}
