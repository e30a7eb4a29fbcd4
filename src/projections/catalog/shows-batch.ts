import type { Knex } from 'knex';
import { insertRows } from '../insert-rows.js';

export interface OpenHoldRow {
  hold_id: string;
  part: string;
  show_id: string;
  member_id: string;
  quantity: number;
  expires_at: number;
}

/**
 * One batch of inventory changes to the shows read model, written with a statement per table and
 * show instead of two per event: under an on-sale burst every event touches the same show row.
 * Counters add up per show; a hold opened and closed within the batch never reaches the table.
 */
export class ShowsBatch {
  private readonly counters = new Map<string, { held: number; sold: number }>();
  private readonly opened = new Map<string, OpenHoldRow>();
  private readonly closed: [string, string][] = [];

  get empty(): boolean {
    return this.counters.size === 0 && this.opened.size === 0 && this.closed.length === 0;
  }

  count(showId: string, held: number, sold: number): void {
    const counter = this.counters.get(showId) ?? { held: 0, sold: 0 };
    counter.held += held;
    counter.sold += sold;
    this.counters.set(showId, counter);
  }

  open(row: OpenHoldRow): void {
    this.opened.set(key(row.hold_id, row.part), row);
  }

  close(holdId: string, part: string): void {
    if (!this.opened.delete(key(holdId, part))) this.closed.push([holdId, part]);
  }

  async write(trx: Knex.Transaction, shows: string, openHolds: string): Promise<void> {
    for (let i = 0; i < this.closed.length; i += 500) {
      await trx(openHolds)
        .whereIn(['hold_id', 'part'], this.closed.slice(i, i + 500))
        .delete();
    }
    await insertRows(trx, openHolds, [...this.opened.values()] as unknown as Record<string, unknown>[]);
    for (const [showId, { held, sold }] of this.counters) {
      if (held === 0 && sold === 0) continue;
      await trx(shows)
        .where({ show_id: showId })
        .update({ held: trx.raw('held + ?', [held]), sold: trx.raw('sold + ?', [sold]) });
    }
    this.counters.clear();
    this.opened.clear();
    this.closed.length = 0;
  }
}

function key(holdId: string, part: string): string {
  return `${holdId}\u0000${part}`;
}
