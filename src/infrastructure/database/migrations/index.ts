import type { Migration } from '../migrate.js';
import { eventStoreMigration } from './001-event-store.js';
import { projectionEngineMigration } from './002-projection-engine.js';
import { membersMigration } from './003-members.js';
import { bookingMigration } from './004-booking.js';
import { idempotencyRetentionMigration } from './005-idempotency-retention.js';
import { ticketKeysMigration } from './006-ticket-keys.js';
import { mailOutboxMigration } from './007-mail-outbox.js';

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const migrations: Migration[] = [
  eventStoreMigration,
  projectionEngineMigration,
  membersMigration,
  bookingMigration,
  idempotencyRetentionMigration,
  ticketKeysMigration,
  mailOutboxMigration,
];
