import type { Knex } from 'knex';
import type { Migration } from '../migrate.js';

/** Mails to send, written from events (one row per event and kind) and marked when sent. */
export const mailOutboxMigration: Migration = {
  name: '007-mail-outbox',
  async up(knex: Knex) {
    await knex.schema.createTable('mail_outbox', (t) => {
      // `<event id>:<kind>`: a replayed event finds its row there and adds none
      t.string('id', 120).notNullable().primary();
      t.string('kind', 40).notNullable();
      t.string('member_id', 64).notNullable();
      t.string('to_email', 254).notNullable();
      t.string('to_name', 200).notNullable();
      t.text('data').notNullable();
      t.bigInteger('created_at').notNullable();
      // when it may next be tried: a claim moves it on, so that a crashed sender's mail comes back
      t.bigInteger('due_at').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('sent_at').nullable();
      t.string('last_error', 500).nullable();
      t.index(['sent_at', 'due_at'], 'mail_outbox_due');
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTableIfExists('mail_outbox');
  },
};
