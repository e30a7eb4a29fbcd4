import type { Knex } from 'knex';
import { seatsOf } from '../../src/projections/seat-map/compact-seat-map.js';
import type { Buyer, SeenConfirm } from './buyers.js';

export interface SaleCheck {
  /** Reservations in the event store (HoldConfirmed, none cancelled in these runs). */
  stored: number;
  /** Confirms a buyer was told of (201) that are not in the store: must be none. */
  lostConfirms: string[];
  /** Seats in more than one stored reservation: must be none. */
  soldTwice: string[];
  /** Seats sold on the seat map but in no stored reservation, and the other way round. */
  seatMapExtra: string[];
  seatMapMissing: string[];
  /** Confirms a buyer was told of that are missing from their member's reservations. */
  missingFromMember: string[];
}

/** A sale that kept its promise: nothing confirmed lost, no seat sold twice, every read model agreeing. */
export const CLEAN_SALE = {
  lostConfirms: [],
  soldTwice: [],
  seatMapExtra: [],
  seatMapMissing: [],
  missingFromMember: [],
} satisfies Omit<SaleCheck, 'stored'>;

/**
 * What the sale's truth is after a fault: the event store read straight from SQL, then the seat map
 * and each buyer's reservations over HTTP (read models are given up to `settleMs` to catch up).
 */
export async function checkSale(
  knex: Knex,
  baseUrl: string,
  showId: string,
  buyers: Buyer[],
  seen: SeenConfirm[],
  settleMs = 10_000,
): Promise<SaleCheck> {
  const rows: { data: string | Record<string, unknown> }[] = await knex('events').select('data').where('type', 'HoldConfirmed');
  const reservations = rows.map(
    (row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { reservationId: string; showId: string; seats: string[] },
  );
  const ofShow = reservations.filter((r) => r.showId === showId);
  const storedIds = new Set(ofShow.map((r) => r.reservationId));
  const seatCounts = new Map<string, number>();
  for (const seat of ofShow.flatMap((r) => r.seats)) seatCounts.set(seat, (seatCounts.get(seat) ?? 0) + 1);
  const storedSeats = new Set(seatCounts.keys());

  const readModels = async () => {
    const map = await getJson(`${baseUrl}/api/shows/${showId}/seats`);
    const sold = new Set(
      seatsOf(map)
        .filter((s) => s.status === 'sold')
        .map((s) => s.id),
    );
    const missingFromMember: string[] = [];
    for (const buyer of buyers) {
      const mine = (await getJson(`${baseUrl}/api/members/me/reservations`, buyer.token)) as { reservationId: string }[];
      const ids = new Set(mine.map((r) => r.reservationId));
      missingFromMember.push(...seen.filter((c) => c.memberId === buyer.id && !ids.has(c.reservationId)).map((c) => c.reservationId));
    }
    return {
      seatMapExtra: [...sold].filter((seat) => !storedSeats.has(seat)),
      seatMapMissing: [...storedSeats].filter((seat) => !sold.has(seat)),
      missingFromMember,
    };
  };
  let views = await readModels();
  for (const until = Date.now() + settleMs; Date.now() < until && Object.values(views).some((list) => list.length > 0);) {
    await sleep(200);
    views = await readModels();
  }
  return {
    stored: storedIds.size,
    lostConfirms: seen.filter((c) => !storedIds.has(c.reservationId)).map((c) => c.reservationId),
    soldTwice: [...seatCounts].filter(([, n]) => n > 1).map(([seat]) => seat),
    ...views,
  };
}

async function getJson(url: string, token?: string): Promise<any> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
