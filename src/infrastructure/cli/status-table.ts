import type { ProjectionStatus } from '../projections/engine/status.js';

/** Projection statuses as an aligned text table, failures spelled out below it. */
export function formatStatusTable(statuses: ProjectionStatus[]): string {
  if (statuses.length === 0) return 'no projections registered';
  const header = ['projection', 'state', 'position', 'head', 'lag', 'lag (s)', 'owner'];
  const rows = statuses.map((s) => [
    s.name,
    s.state,
    String(s.position),
    String(s.head),
    String(s.lagPositions),
    s.lagSeconds.toFixed(1),
    s.owner ?? '-',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 2 && column <= 5 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const failures = statuses
    .filter((s) => s.failure)
    .map((s) => `${s.name} failed at position ${s.failure!.position} (${s.failure!.eventType}): ${s.failure!.error.split('\n')[0]}`);
  return [line(header), ...rows.map(line), ...(failures.length ? ['', ...failures] : [])].join('\n');
}
