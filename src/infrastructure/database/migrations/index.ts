import type { Migration } from '../migrate.js';

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const migrations: Migration[] = [];
