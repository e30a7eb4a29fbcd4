import knexFactory, { type Knex } from 'knex';

export interface Settled {
  /** False when `timeoutMs` passed first. */
  settled: boolean;
  /** From the call until settled (or the timeout). */
  seconds: number;
}

/**
 * Waits until the work a run left behind is done: every projection's checkpoint at the log's head
 * and the waiting list's reaction queue empty. A booking's cost includes what it leaves for the
 * projections and reactors to do; a window that ends with them behind does not count it.
 * The mail sender is not waited for here: it yields to a sale by design (see waitForMails).
 */
export async function waitUntilSettled(mysqlUrl: string, timeoutMs: number): Promise<Settled> {
  const { done, seconds } = await pollDatabase(mysqlUrl, 100, timeoutMs, async (knex) => {
    const { head, positions } = await checkpoints(knex, mysqlUrl);
    const pending = (await knex.schema.hasTable('waitlist_offers_pending'))
      ? Number((await knex('waitlist_offers_pending').count({ n: '*' }))[0]!.n)
      : 0;
    return Object.values(positions).every((position) => position >= head) && pending === 0;
  });
  return { settled: done, seconds };
}

/** Every projection's checkpoint (by its checkpoint table's name without `_checkpoint`) and the log's head. */
async function checkpoints(knex: Knex, mysqlUrl: string): Promise<{ head: number; positions: Record<string, number> }> {
  const database = new URL(mysqlUrl).pathname.replace(/^\//, '');
  const tables = (await knex('information_schema.tables')
    .where('table_schema', database)
    .andWhere('table_name', 'like', '%\\_checkpoint')
    .pluck('table_name')) as string[];
  const [head] = (await knex('event_sequence').where('id', 1).pluck('last')) as number[];
  const positions = await Promise.all(tables.map(async (table) => Number((await knex(table).where('id', 1).pluck('position'))[0] ?? 0)));
  return {
    head: Number(head ?? 0),
    positions: Object.fromEntries(tables.map((table, i) => [table.replace(/_checkpoint$/, ''), positions[i]!])),
  };
}

/** How far each projection's checkpoint is behind the log's head, by projection (its checkpoint table's name). */
export interface ReadModelLag {
  head: number;
  behind: Record<string, number>;
}

/** The projections' checkpoints against the log's head, now: how stale the read models are as a window ends. */
export async function readModelLag(mysqlUrl: string): Promise<ReadModelLag> {
  let lag: ReadModelLag = { head: 0, behind: {} };
  await pollDatabase(mysqlUrl, 0, 0, async (knex) => {
    const { head, positions } = await checkpoints(knex, mysqlUrl);
    lag = { head, behind: Object.fromEntries(Object.entries(positions).map(([name, position]) => [name, head - position])) };
    return true;
  });
  return lag;
}

export interface MailsSent {
  /** Mails sent since the call (the sale's confirmations still waiting at its end). */
  sent: number;
  /** False when `timeoutMs` passed with mails still due. */
  drained: boolean;
  seconds: number;
}

/** Waits until the mail outbox has nothing unsent that is due: how long a sale's mails took to go out after it. */
export async function waitForMails(mysqlUrl: string, timeoutMs: number): Promise<MailsSent> {
  let first: number | undefined;
  let left = 0;
  const { done, seconds } = await pollDatabase(mysqlUrl, 200, timeoutMs, async (knex) => {
    left = Number((await knex('mail_outbox').whereNull('sent_at').where('due_at', '<=', Date.now()).count({ n: '*' }))[0]!.n);
    first ??= left;
    return left === 0;
  });
  return { sent: (first ?? 0) - left, drained: done, seconds };
}

/** Over one connection to `mysqlUrl`, asks `done` every `intervalMs` until it says yes or `timeoutMs` passed. */
async function pollDatabase(
  mysqlUrl: string,
  intervalMs: number,
  timeoutMs: number,
  done: (knex: Knex) => Promise<boolean>,
): Promise<{ done: boolean; seconds: number }> {
  const started = performance.now();
  const knex = knexFactory({ client: 'mysql2', connection: mysqlUrl, pool: { min: 0, max: 1 } });
  try {
    for (;;) {
      const finished = await done(knex);
      const seconds = (performance.now() - started) / 1000;
      if (finished || seconds * 1000 > timeoutMs) return { done: finished, seconds };
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    await knex.destroy();
  }
}
