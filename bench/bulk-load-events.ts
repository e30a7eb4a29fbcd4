import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export const BENCH_EVENT = 'BenchCounted';

export interface BulkLoad {
  events: number;
  streams: number;
  onProgress?(loaded: number): void;
}

/**
 * Appends `events` events spread round-robin over `streams` streams straight into the event
 * store's tables with multi-row inserts (a loader for benchmarks, not an append path): positions
 * continue the sequence gaplessly and the stream versions and sequence row are kept right.
 */
export async function bulkLoadEvents(knex: Knex, load: BulkLoad): Promise<number> {
  const chunk = 1000; // 9 columns: under SQLite's 32,766 bound parameters
  const { last } = await knex('event_sequence').where({ id: 1 }).first('last');
  const start = Number(last);
  const base = Date.now() - 3_600_000;
  const versions = new Map<string, number>();
  for (const row of await knex('streams').where('stream_id', 'like', 'bench-%').select('stream_id', 'version')) {
    versions.set(row.stream_id, Number(row.version));
  }
  const metadata = JSON.stringify({ correlationId: 'bench' });
  for (let offset = 0; offset < load.events; offset += chunk) {
    const rows = [];
    for (let i = offset; i < Math.min(offset + chunk, load.events); i++) {
      const streamId = `bench-${i % load.streams}`;
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      rows.push({
        position: start + i + 1,
        id: randomUUID(),
        stream_id: streamId,
        version,
        type: BENCH_EVENT,
        data: JSON.stringify({ amount: (i % 9) + 1, seat: `A-${i % 30}-${i % 40}` }),
        metadata,
        schema_version: 1,
        recorded_at: base + Math.floor(i / 100),
      });
    }
    const columns = Object.keys(rows[0]);
    const values = rows.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
    await knex.raw(
      `INSERT INTO events (${columns.join(',')}) VALUES ${values}`,
      rows.flatMap((row) => Object.values(row)),
    );
    load.onProgress?.(Math.min(offset + chunk, load.events));
  }
  const streamRows = [...versions].map(([stream_id, version]) => ({ stream_id, version }));
  for (let i = 0; i < streamRows.length; i += 400) {
    await knex('streams')
      .insert(streamRows.slice(i, i + 400))
      .onConflict('stream_id')
      .merge(['version']);
  }
  await knex('event_sequence')
    .where({ id: 1 })
    .update({ last: start + load.events });
  return start + load.events;
}
