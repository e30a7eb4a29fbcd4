import type { Knex } from 'knex';
import type { IdempotencyStore, StoredResponse } from '../../application/ports/idempotency-store.js';

/** Idempotency answers in the SQL database; the first writer of a key wins. */
export class SqlIdempotencyStore implements IdempotencyStore {
  constructor(private readonly knex: Knex) {}

  async recall(scope: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.knex('idempotency_responses').where({ scope, idempotency_key: key }).first();
    return row ? { fingerprint: row.fingerprint, status: Number(row.status), body: JSON.parse(row.body) } : undefined;
  }

  async remember(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.knex('idempotency_responses')
      .insert({
        scope,
        idempotency_key: key,
        fingerprint: response.fingerprint,
        status: response.status,
        body: JSON.stringify(response.body ?? null),
        created_at: Date.now(),
      })
      .onConflict(['scope', 'idempotency_key'])
      .ignore();
  }
}
