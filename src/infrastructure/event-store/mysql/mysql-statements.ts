import { escape, format } from 'mysql2';
import type { BatchPlan } from '../append-planner.js';
import { EVENT_COLUMNS } from '../event-rows.js';
import type { PreparedAppend } from '../prepared-append.js';

/**
 * The SQL of one group commit, as two multi-statement round trips. The first opens the
 * transaction and reads (locking) what the batch touches; the second writes and commits, taking
 * the sequence row lock as late as possible so that the serial section is insert + commit only.
 */
export function lockAndReadSql(
  batch: PreparedAppend[],
  ids: string[],
): { sql: string; results: { ids?: number; streams: number; claims?: number } } {
  const streams = [...new Set(batch.flatMap((append) => append.streams.map((s) => s.streamId)))].sort();
  const claims = uniqueClaims(batch);
  const statements = ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'START TRANSACTION'];
  const results: { ids?: number; streams: number; claims?: number } = { streams: -1 };
  if (ids.length > 0) {
    results.ids = statements.length;
    statements.push(eventsByIdsSql(ids));
  }
  results.streams = statements.length;
  statements.push(
    `SELECT stream_id, version FROM streams WHERE stream_id IN (${streams.map((id) => escape(id)).join(', ')}) ORDER BY stream_id FOR UPDATE`,
  );
  if (claims.length > 0) {
    results.claims = statements.length;
    statements.push(
      format(
        'SELECT scope, value_hash, owner_stream_id FROM claims WHERE (scope, value_hash) IN (?) ORDER BY scope, value_hash FOR UPDATE',
        [claims],
      ),
    );
  }
  return { sql: statements.join(';\n'), results };
}

export function eventsByIdsSql(ids: string[]): string {
  return format('SELECT id, stream_id, version, position, type, data FROM events WHERE id IN (?)', [ids]);
}

/** Writes the plan and commits; its last result set is `[{ last }]`, the head after the commit. */
export function writeAndCommitSql(plan: BatchPlan, now: number): string {
  // the statements' pieces, joined once at the end: the events' JSON is copied into the text once
  const text: string[] = [];
  if (plan.streamVersions.size > 0) {
    // In stream order, like the locking read, so that flushers take these row locks in one order.
    const rows = [...plan.streamVersions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const values = rows.map(([id, version]) => `(${escape(id)}, ${Number(version)})`).join(', ');
    text.push(`INSERT INTO streams (stream_id, version) VALUES ${values} ON DUPLICATE KEY UPDATE version = VALUES(version);\n`);
  }
  if (plan.claimDeletes.length > 0) {
    text.push(format('DELETE FROM claims WHERE (scope, value_hash) IN (?);\n', [plan.claimDeletes.map((c) => [c.scope, c.valueHash])]));
  }
  if (plan.claimInserts.length > 0) {
    text.push(
      format('INSERT INTO claims (scope, value_hash, owner_stream_id) VALUES ?;\n', [
        plan.claimInserts.map((c) => [c.scope, c.valueHash, c.owner]),
      ]),
    );
  }
  const n = plan.events.length;
  if (n > 0) {
    // The row lock on event_sequence is held from here to COMMIT: commits happen in position order.
    text.push(
      `UPDATE event_sequence SET last = LAST_INSERT_ID(last + ${n}) WHERE id = 1;\n`,
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES `,
    );
    // each value escaped on its own: format() would scan a template per event for its placeholders
    const at = escape(now);
    for (const e of plan.events) {
      text.push(
        `${e === plan.events[0] ? '' : ','}(LAST_INSERT_ID() - ${n - 1 - e.offset}, ${escape(e.id)}, ${escape(e.streamId)}, ` +
          `${escape(e.version)}, ${escape(e.type)}, ${jsonLiteral(e.data)}, ${jsonLiteral(e.metadata)}, ${escape(e.schemaVersion)}, ${at})`,
      );
    }
    text.push(';\nSELECT LAST_INSERT_ID() AS last;\n');
  } else {
    text.push('SELECT last FROM event_sequence WHERE id = 1;\n');
  }
  text.push('COMMIT');
  return text.join('');
}

/**
 * JSON text (from JSON.stringify, as every prepared event's data and metadata is) as a string
 * literal: JSON escapes every control character itself, so only backslashes and single quotes are
 * left to escape, where escape() walks the whole text from its first double quote.
 */
export function jsonLiteral(json: string): string {
  return `'${json.replace(/[\\']/g, '\\$&')}'`;
}

function uniqueClaims(batch: PreparedAppend[]): [string, string][] {
  const keys = new Map(
    batch.flatMap((append) => [...append.claims, ...append.releases]).map((c) => [c.key, [c.scope, c.valueHash] as [string, string]]),
  );
  return [...keys.values()];
}
