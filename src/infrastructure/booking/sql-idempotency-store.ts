import type { Knex } from 'knex';
import type { IdempotencyStore, StoredResponse } from '../../application/ports/idempotency-store.js';
import { isMysql } from '../database/knex.js';
import { TickBatcher } from '../tick-batcher.js';
import { TickWriter } from '../tick-writer.js';
import type { ExpiringAnswers } from './idempotency-purger.js';

const TABLE = 'idempotency_responses';
const PRIMARY_KEY = ['scope', 'idempotency_key'];

interface Key {
  scope: string;
  key: string;
}

interface Row {
  scope: string;
  idempotency_key: string;
  fingerprint: string;
  status: number;
  body: string;
  created_at: number;
}

/**
 * Idempotency answers in the SQL database; the first writer of a key wins. Under a burst, the
 * recalls made in one turn of the event loop are one SELECT and the remembers one INSERT (per
 * `maxBatch`): one round trip per request each was most of the server's SQL.
 */
export class SqlIdempotencyStore implements IdempotencyStore, ExpiringAnswers {
  private readonly lookups: TickBatcher<undefined, Key, StoredResponse | undefined>;
  private readonly inserts: TickWriter<Row>;

  constructor(
    private readonly knex: Knex,
    maxBatch = 500,
  ) {
    this.lookups = new TickBatcher((_, keys) => this.load(keys), { maxBatch });
    this.inserts = new TickWriter((rows) => this.insert(rows), maxBatch);
  }

  recall(scope: string, key: string): Promise<StoredResponse | undefined> {
    return this.lookups.get('', undefined, { scope, key });
  }

  /** Resolves once the answer is written, or another one for the key was there first. */
  remember(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.inserts.write({
      scope,
      idempotency_key: key,
      fingerprint: response.fingerprint,
      status: response.status,
      body: JSON.stringify(response.body ?? null),
      created_at: Date.now(),
    });
  }

  async purgeBefore(cutoffMs: number, limit: number): Promise<number> {
    const old = this.knex(TABLE).where('created_at', '<', cutoffMs);
    if (isMysql(this.knex)) return old.limit(limit).del();
    // SQLite has no DELETE … LIMIT unless compiled with it (MariaDB, in turn, refuses LIMIT in an IN subquery)
    return this.knex(TABLE).whereIn(PRIMARY_KEY, old.select(PRIMARY_KEY).limit(limit)).del();
  }

  private async load(keys: Key[]): Promise<(StoredResponse | undefined)[]> {
    const pairs = new Map(keys.map(({ scope, key }) => [idOf(scope, key), [scope, key]]));
    const rows: Row[] = await this.knex(TABLE).whereIn(PRIMARY_KEY, [...pairs.values()]);
    const found = new Map(rows.map((row) => [idOf(row.scope, row.idempotency_key), row]));
    // each caller gets a body of its own to keep, as from a query of its own
    return keys.map(({ scope, key }) => toResponse(found.get(idOf(scope, key))));
  }

  private async insert(rows: Row[]): Promise<void> {
    // One row per key, the first caller's: later ones lose as they would to a racing insert. Sorted,
    // so that concurrent batches sharing keys take InnoDB's row locks in one order (no deadlock).
    const first = new Map<string, Row>();
    for (const row of rows) {
      const id = idOf(row.scope, row.idempotency_key);
      if (!first.has(id)) first.set(id, row);
    }
    const sorted = [...first.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    await this.knex(TABLE).insert(sorted).onConflict(PRIMARY_KEY).ignore();
  }
}

function idOf(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

function toResponse(row: Row | undefined): StoredResponse | undefined {
  return row ? { fingerprint: row.fingerprint, status: Number(row.status), body: JSON.parse(row.body) } : undefined;
}
