import knexFactory from 'knex';

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
  const started = performance.now();
  const database = new URL(mysqlUrl).pathname.replace(/^\//, '');
  const knex = knexFactory({ client: 'mysql2', connection: mysqlUrl, pool: { min: 0, max: 1 } });
  try {
    const tables = (await knex('information_schema.tables')
      .where('table_schema', database)
      .andWhere((q) => q.where('table_name', 'like', '%\\_checkpoint').orWhere('table_name', 'waitlist_offers_pending'))
      .pluck('table_name')) as string[];
    const checkpoints = tables.filter((table) => table.endsWith('_checkpoint'));
    for (;;) {
      const [head] = (await knex('event_sequence').where('id', 1).pluck('last')) as number[];
      const positions = await Promise.all(
        checkpoints.map(async (table) => Number((await knex(table).where('id', 1).pluck('position'))[0] ?? 0)),
      );
      const pending = tables.includes('waitlist_offers_pending')
        ? Number((await knex('waitlist_offers_pending').count({ n: '*' }))[0]!.n)
        : 0;
      const seconds = (performance.now() - started) / 1000;
      if (positions.every((position) => position >= Number(head ?? 0)) && pending === 0) return { settled: true, seconds };
      if (seconds * 1000 > timeoutMs) return { settled: false, seconds };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await knex.destroy();
  }
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
  const started = performance.now();
  const knex = knexFactory({ client: 'mysql2', connection: mysqlUrl, pool: { min: 0, max: 1 } });
  const unsent = async () =>
    Number((await knex('mail_outbox').whereNull('sent_at').where('due_at', '<=', Date.now()).count({ n: '*' }))[0]!.n);
  try {
    const first = await unsent();
    for (;;) {
      const left = await unsent();
      const seconds = (performance.now() - started) / 1000;
      if (left === 0 || seconds * 1000 > timeoutMs) return { sent: first - left, drained: left === 0, seconds };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await knex.destroy();
  }
}
