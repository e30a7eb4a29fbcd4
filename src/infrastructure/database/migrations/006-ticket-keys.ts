import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/** Ed25519 keys that sign ticket codes: the newest key not retired signs; every key not retired verifies. */
export const ticketKeysMigration: Migration = {
  name: '006-ticket-keys',
  async up(knex: Knex) {
    await knex.schema.createTable('ticket_signing_keys', (t) => {
      t.string('kid', 32).notNullable().primary();
      // PKCS#8 DER, base64
      t.text('private_key').notNullable();
      // the public key's raw 32 bytes, base64url (the JWK's `x`)
      t.string('public_x', 64).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('retired_at').nullable();
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTableIfExists('ticket_signing_keys');
  },
};
