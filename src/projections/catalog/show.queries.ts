import type { Knex } from 'knex';
import type { Clock } from '../../application/ports/clock.js';
import type { HoldDeadline, OpenHolds } from '../../application/ports/hold-deadlines.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import type { SaleCatalog, SaleSettings } from '../../application/ports/sale-catalog.js';
import { SHOWS_PROJECTION } from '../../application/booking/read-models.js';
import type { ShowDefinition } from '../../domain/catalog/show.events.js';
import { liveTables } from '../table-names.js';
import { OPEN_HOLDS, SHOWS } from './shows.projection.js';

export interface ShowView extends ShowDefinition {
  id: string;
  capacity: number;
  sold: number;
  held: number;
  remaining: number;
}

/** A cached answer and the moment it stops being true by itself (the next hold deadline). */
interface Cached<T> {
  value: T;
  until: number;
}

/** Cached answers live at most this long even without a deadline (bounds a lost invalidation race). */
export const CACHE_MAX_MS = 5000;

/** Sale settings (queue switch, remaining count) may be this old for the waiting room. */
const SETTINGS_MEMO_MS = 250;

/** Reads of the show list: remaining tickets count holds only until their deadline. */
export class ShowQueries implements SaleCatalog, OpenHolds {
  private readonly tables = liveTables(SHOWS_PROJECTION);
  private readonly settingsMemo = new Map<string, { value: Promise<SaleSettings | undefined>; until: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly cache: ReadCache,
    private readonly clock: Clock,
  ) {}

  async list(limit = 100): Promise<ShowView[]> {
    const now = this.clock.now().getTime();
    const rows = await this.knex(this.tables(SHOWS)).orderBy('starts_at').limit(limit);
    const overdue = await this.knex(this.tables(OPEN_HOLDS))
      .select('show_id')
      .sum({ overdue: 'quantity' })
      .where('expires_at', '<=', now)
      .groupBy('show_id');
    const overdueBy = new Map((overdue as Record<string, any>[]).map((row) => [row.show_id as string, Number(row.overdue)]));
    return rows.map((row) => view(row, Number(row.held) - (overdueBy.get(row.show_id) ?? 0)));
  }

  /** One show, through the read cache unless `fresh` (an answer to the admin's own change). */
  async get(showId: string, fresh = false): Promise<ShowView | undefined> {
    const now = this.clock.now().getTime();
    const cached = fresh ? undefined : await this.cache.get<Cached<ShowView>>(`show:${showId}`);
    if (cached && cached.until > now) return cached.value;
    const row = await this.knex(this.tables(SHOWS)).where({ show_id: showId }).first();
    if (!row) return undefined;
    const { overdue, next } = await this.deadlines(showId, now);
    const value = view(row, Number(row.held) - overdue);
    const until = Math.min(next ?? Infinity, now + CACHE_MAX_MS);
    await this.cache.set(`show:${showId}`, { value, until }, until - now);
    return value;
  }

  /** Asked on every hold by the waiting room's gate: kept in-process for a moment. */
  async saleSettings(showId: string): Promise<SaleSettings | undefined> {
    const memo = this.settingsMemo.get(showId);
    const now = Date.now();
    if (memo && memo.until > now) return memo.value;
    const value = this.readSaleSettings(showId);
    this.settingsMemo.set(showId, { value, until: now + SETTINGS_MEMO_MS });
    if (this.settingsMemo.size > 10_000) this.settingsMemo.delete(this.settingsMemo.keys().next().value as string);
    return value.catch((error) => {
      this.settingsMemo.delete(showId);
      throw error;
    });
  }

  private async readSaleSettings(showId: string): Promise<SaleSettings | undefined> {
    const show = await this.get(showId);
    if (!show) return undefined;
    return {
      showId,
      salesOpenAt: new Date(show.salesOpenAt),
      salesCloseAt: show.salesCloseAt ? new Date(show.salesCloseAt) : undefined,
      queue: show.queue,
      remaining: show.remaining,
    };
  }

  /**
   * No ticket left right now: sold and held (less the holds past their deadline) make the capacity.
   * One read while sold and held alone leave some (overdue holds only add to what is left): the
   * shows projection asks after every batch of a sale, each round trip waiting in a busy process.
   */
  async soldOut(showId: string): Promise<boolean> {
    const row = await this.knex(this.tables(SHOWS)).where({ show_id: showId }).first();
    if (!row) return false;
    const left = Number(row.capacity) - Number(row.sold) - Number(row.held);
    if (left > 0) return false;
    const { overdue } = await this.deadlines(showId, this.clock.now().getTime());
    return left + overdue === 0;
  }

  async dueBefore(before: Date, limit: number): Promise<HoldDeadline[]> {
    const rows = await this.knex(this.tables(OPEN_HOLDS))
      .select('hold_id', 'show_id', 'member_id')
      .min({ expires_at: 'expires_at' })
      .where('expires_at', '<', before.getTime())
      .groupBy('hold_id', 'show_id', 'member_id')
      .orderBy('expires_at')
      .limit(limit);
    return (rows as Record<string, any>[]).map((row) => ({
      holdId: row.hold_id,
      showId: row.show_id,
      memberId: row.member_id,
      expiresAt: new Date(Number(row.expires_at)),
    }));
  }

  /**
   * Tickets in holds past their deadline whose expiry is not recorded yet (a few, for about a
   * second), and the next deadline to come: two short index ranges, not a sum over every open hold.
   */
  private async deadlines(showId: string, now: number): Promise<{ overdue: number; next?: number }> {
    const table = this.tables(OPEN_HOLDS);
    const [overdue, next] = await Promise.all([
      this.knex(table).where({ show_id: showId }).andWhere('expires_at', '<=', now).sum({ overdue: 'quantity' }).first(),
      this.knex(table).where({ show_id: showId }).andWhere('expires_at', '>', now).orderBy('expires_at').select('expires_at').first(),
    ]);
    return { overdue: Number(overdue?.overdue ?? 0), next: next ? Number(next.expires_at) : undefined };
  }
}

function view(row: Record<string, any>, held: number): ShowView {
  const definition = JSON.parse(row.definition) as ShowDefinition;
  const capacity = Number(row.capacity);
  const sold = Number(row.sold);
  return { id: row.show_id, ...definition, capacity, sold, held, remaining: Math.max(0, capacity - sold - held) };
}
