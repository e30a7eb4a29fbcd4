import type { SeedMember, SeedShow } from '../../src/infrastructure/cli/seed-output.js';
import { seatsOf } from '../../src/projections/seat-map/compact-seat-map.js';
import type { LoadStats } from './stats.js';

export interface OversellCheck {
  /** Tickets the read model shows as sold, once it stopped changing. */
  soldInReadModel: number | undefined;
  /** Tickets in the members' reservations (GET /api/members/me/reservations of every seeded member). */
  reservedByMembers: number;
  /** Tickets confirmed to clients before the measured window (`--warm-up`), on the same show. */
  confirmedBefore: number;
  /** Sold beyond capacity, by the read model or by the clients' confirmations, plus seats confirmed twice. */
  oversold: number;
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the show and its seat map through the API until they stop changing, then every member's
 * reservations: sold beyond capacity by any of them, or a seat in two reservations, is an oversell.
 */
export async function checkOversell(
  baseUrl: string,
  show: SeedShow,
  stats: LoadStats,
  members: SeedMember[],
  confirmedBefore = 0,
): Promise<OversellCheck> {
  const confirmed = stats.ticketsBooked + confirmedBefore;
  let sold: number | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const now = await soldNow(baseUrl, show);
    if (now !== undefined && now === sold && now >= confirmed) break;
    sold = now;
    await sleep(500);
  }
  const reserved = await readBackReservations(baseUrl, show, members);
  const notes: string[] = [];
  if (sold === undefined) notes.push('the show did not say how many were sold');
  else if (sold < confirmed) notes.push(`read model shows ${sold} sold, clients saw ${confirmed} confirmed`);
  if (reserved.tickets !== (sold ?? reserved.tickets))
    notes.push(`members' reservations hold ${reserved.tickets} tickets, the show says ${sold} sold`);
  const duplicates = Math.max(stats.duplicateSeats(), reserved.seatsTwice);
  if (duplicates > 0) notes.push(`${duplicates} seats confirmed to more than one buyer`);
  const overCapacity = Math.max(0, (sold ?? 0) - show.capacity, confirmed - show.capacity, reserved.tickets - show.capacity);
  return { soldInReadModel: sold, reservedByMembers: reserved.tickets, confirmedBefore, oversold: overCapacity + duplicates, notes };
}

async function readBackReservations(
  baseUrl: string,
  show: SeedShow,
  members: SeedMember[],
): Promise<{ tickets: number; seatsTwice: number }> {
  const seats = new Map<string, number>();
  let tickets = 0;
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < members.length; i = next++) {
      const response = await fetch(`${baseUrl}/api/members/me/reservations`, {
        headers: { authorization: `Bearer ${members[i]!.accessToken}` },
      });
      if (!response.ok) continue;
      for (const reservation of (await response.json()) as any[]) {
        if (reservation.showId !== show.id || reservation.status === 'cancelled') continue;
        tickets += Number(reservation.quantity ?? reservation.seats?.length ?? 0);
        for (const seat of reservation.seats ?? []) seats.set(seat, (seats.get(seat) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, reader));
  let seatsTwice = 0;
  for (const n of seats.values()) if (n > 1) seatsTwice += n - 1;
  return { tickets, seatsTwice };
}

/** Sold tickets by the show's read model and, for reserved seating, by the seat map too (the larger). */
async function soldNow(baseUrl: string, show: SeedShow): Promise<number | undefined> {
  const [summary, seatMap] = await Promise.all([
    getJson(`${baseUrl}/api/shows/${show.id}`),
    getJson(`${baseUrl}/api/shows/${show.id}/seats`),
  ]);
  const counts = [typeof summary?.sold === 'number' ? summary.sold : undefined, countSold(seatMap, show.capacity)].filter(
    (n): n is number => n !== undefined,
  );
  return counts.length > 0 ? Math.max(...counts) : undefined;
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url, { headers: { accept: 'application/json' } }).catch(() => undefined);
  return response?.ok ? response.json() : undefined;
}

/**
 * Understands the compact seat map (a character per seat by section and row), a list of seats
 * with a status, or counts (sold / remaining) for general admission.
 */
export function countSold(body: any, capacity: number): number | undefined {
  if (typeof body?.sold === 'number') return body.sold;
  if (body?.seating === 'reserved' && Array.isArray(body.sections)) return seatsOf(body).filter((seat) => seat.status === 'sold').length;
  const seats = collectSeats(body);
  if (seats.length > 0) return seats.filter((seat) => (seat.status ?? seat.state) === 'sold').length;
  const general = body?.generalAdmission ?? body;
  if (typeof general?.sold === 'number') return general.sold;
  if (typeof general?.remaining === 'number' && typeof general?.held === 'number') return capacity - general.remaining - general.held;
  return undefined;
}

function collectSeats(body: any): any[] {
  if (Array.isArray(body)) return body;
  if (Array.isArray(body?.seats)) return body.seats;
  if (Array.isArray(body?.sections)) return body.sections.flatMap((section: any) => collectSeats(section));
  if (Array.isArray(body?.rows)) return body.rows.flatMap((row: any) => collectSeats(row));
  return [];
}
