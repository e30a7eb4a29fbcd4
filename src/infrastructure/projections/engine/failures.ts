import type { Knex } from 'knex';

const TABLE = 'projection_failures';

export interface ProjectionFailure {
  position: number;
  eventType: string;
  error: string;
  failedAt: Date;
}

/** Where a projection stopped and why, in `projection_failures`; cleared by a rebuild or a retry. */
export class FailureStore {
  constructor(private readonly knex: Knex) {}

  async record(name: string, failure: ProjectionFailure): Promise<void> {
    const row = {
      name,
      position: failure.position,
      event_type: failure.eventType,
      error: failure.error.slice(0, 10_000),
      failed_at: failure.failedAt.getTime(),
    };
    await this.knex(TABLE).insert(row).onConflict('name').merge();
  }

  async get(name: string): Promise<ProjectionFailure | undefined> {
    const row = await this.knex(TABLE).where({ name }).first();
    if (!row) return undefined;
    return { position: Number(row.position), eventType: row.event_type, error: row.error, failedAt: new Date(Number(row.failed_at)) };
  }

  async clear(name: string, db: Knex | Knex.Transaction = this.knex): Promise<void> {
    await db(TABLE).where({ name }).delete();
  }
}
