import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/**
 * Per-member keys for the personal data sealed inside member events (deleted on withdrawal:
 * crypto-shredding), and server-generated secrets (the JWT signing secret when JWT_SECRET is
 * not set and the database is MySQL).
 */
export const membersMigration: Migration = {
  name: '003-members',
  async up(knex: Knex) {
    await knex.schema.createTable('member_keys', (t) => {
      t.string('member_id', 64).notNullable().primary();
      // A random 256-bit AES key, base64.
      t.string('secret', 64).notNullable();
      t.bigInteger('created_at').notNullable();
    });
    await knex.schema.createTable('server_secrets', (t) => {
      t.string('name', 100).notNullable().primary();
      t.string('value', 200).notNullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTableIfExists('server_secrets');
    await knex.schema.dropTableIfExists('member_keys');
  },
};
