import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/**
 * The event store. `position` is assigned by the store from `event_sequence` (never
 * AUTO_INCREMENT, which InnoDB hands out in insert order, not commit order).
 */
export const eventStoreMigration: Migration = {
  name: '001-event-store',
  async up(knex: Knex) {
    await knex.schema.createTable('events', (t) => {
      t.bigInteger('position').unsigned().notNullable().primary();
      t.string('id', 100).notNullable().unique({ indexName: 'events_id_unique' });
      t.string('stream_id', 200).notNullable();
      t.integer('version').unsigned().notNullable();
      t.string('type', 200).notNullable();
      t.text('data', 'longtext').notNullable();
      t.text('metadata', 'mediumtext').notNullable();
      t.integer('schema_version').notNullable().defaultTo(1);
      // Milliseconds since the epoch.
      t.bigInteger('recorded_at').notNullable();
      t.unique(['stream_id', 'version'], { indexName: 'events_stream_version_unique' });
    });
    await knex.schema.createTable('streams', (t) => {
      t.string('stream_id', 200).notNullable().primary();
      t.integer('version').unsigned().notNullable();
    });
    await knex.schema.createTable('claims', (t) => {
      t.string('scope', 100).notNullable();
      // sha256 (hex) of the claimed value: no personal data is kept here.
      t.string('value_hash', 64).notNullable();
      t.string('owner_stream_id', 200).notNullable();
      t.primary(['scope', 'value_hash']);
    });
    // One row: the last position handed out. Its row lock, held to commit, orders commits.
    await knex.schema.createTable('event_sequence', (t) => {
      t.integer('id').notNullable().primary();
      t.bigInteger('last').unsigned().notNullable();
    });
    await knex('event_sequence').insert({ id: 1, last: 0 });
  },
  async down(knex: Knex) {
    for (const table of ['event_sequence', 'claims', 'streams', 'events']) await knex.schema.dropTableIfExists(table);
  },
};
