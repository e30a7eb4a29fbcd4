import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/** Old idempotency answers are purged in chunks by age: an index keeps each chunk a range scan. */
export const idempotencyRetentionMigration: Migration = {
  name: '005-idempotency-retention',
  async up(knex: Knex) {
    await knex.schema.alterTable('idempotency_responses', (t) => {
      t.index(['created_at'], 'idempotency_responses_created_at');
    });
  },
  async down(knex: Knex) {
    await knex.schema.alterTable('idempotency_responses', (t) => {
      t.dropIndex(['created_at'], 'idempotency_responses_created_at');
    });
  },
};
