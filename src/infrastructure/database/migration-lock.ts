import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

const TABLE = 'onsale_migration_lock';
const WAIT_MS = 120_000;
/** A holder that crashed mid-migration frees the lock after this long; a live one renews it. */
const LEASE_MS = 60_000;
const RENEW_MS = 15_000;
const POLL_MS = 200;
/** Taken by someone else, or lost to a racing taker on another Galera node (a certification conflict). */
const BUSY = new Set(['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Runs `work` while this process holds the schema lock: one row in a table of its own, inserted to
 * take it and deleted to give it back. A row replicates, so processes on different Galera nodes
 * exclude each other too; GET_LOCK, which the migrations used before, is local to one server and
 * Galera does not replicate it. The row is a lease: renewed while the work runs, taken over when
 * its holder died without deleting it.
 */
export async function withMigrationLock<T>(knex: Knex, work: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  await take(knex, owner);
  const renewal = setInterval(() => {
    knex(TABLE)
      .where({ id: 1, owner })
      .update({ expires_at: Date.now() + LEASE_MS })
      .catch(() => undefined);
  }, RENEW_MS);
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await knex(TABLE).where({ id: 1, owner }).delete();
  }
}

async function take(knex: Knex, owner: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await knex(TABLE).insert({ id: 1, owner, expires_at: Date.now() + LEASE_MS });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // Created by the first migration on a fresh database, by a user with schema rights; a server
      // whose user may only write rows finds it there (CREATE TABLE IF NOT EXISTS would need CREATE).
      if (code === 'ER_NO_SUCH_TABLE') {
        await knex.raw(
          `CREATE TABLE IF NOT EXISTS ${TABLE} (id INT NOT NULL PRIMARY KEY, owner VARCHAR(64) NOT NULL, expires_at BIGINT NOT NULL) ENGINE=InnoDB`,
        );
        continue;
      }
      if (!BUSY.has(code)) throw error;
    }
    // A holder that died is recognised by its lease running out.
    await knex(TABLE).where('id', 1).andWhere('expires_at', '<', Date.now()).delete();
    if (Date.now() > deadline) throw new Error('Timed out waiting for another process to finish migrating the schema');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
