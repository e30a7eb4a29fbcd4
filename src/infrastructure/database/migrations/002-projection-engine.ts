import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/**
 * The projection engine's shared tables: one lease row per projection (who runs it, until when)
 * and the failure of a projection that stopped on an event. Checkpoints live beside each
 * projection's own tables, so that a rebuild's swap moves rows and checkpoint together.
 */
export const projectionEngineMigration: Migration = {
  name: '002-projection-engine',
  async up(knex: Knex) {
    await knex.schema.createTable('projection_leases', (t) => {
      t.string('name', 190).notNullable().primary();
      t.string('owner', 190).notNullable();
      // Milliseconds since the epoch; a lease past its expiry may be taken by anyone.
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('acquired_at').notNullable();
      // Bumped on every renewal, so that MySQL always reports the row as changed.
      t.bigInteger('renewals').notNullable().defaultTo(0);
    });
    await knex.schema.createTable('projection_failures', (t) => {
      t.string('name', 190).notNullable().primary();
      t.bigInteger('position').notNullable();
      t.string('event_type', 200).notNullable();
      t.text('error').notNullable();
      t.bigInteger('failed_at').notNullable();
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTableIfExists('projection_failures');
    await knex.schema.dropTableIfExists('projection_leases');
  },
};
