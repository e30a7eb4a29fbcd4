import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/** First answers to requests sent with an Idempotency-Key (holds, confirms, cancels). */
export const bookingMigration: Migration = {
  name: '004-booking',
  async up(knex: Knex) {
    await knex.schema.createTable('idempotency_responses', (t) => {
      t.string('scope', 100).notNullable();
      t.string('idempotency_key', 128).notNullable();
      t.string('fingerprint', 64).notNullable();
      // 0: the request was refused by a business rule, and `body` holds that error.
      t.integer('status').notNullable();
      t.text('body').notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['scope', 'idempotency_key']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTableIfExists('idempotency_responses');
  },
};
