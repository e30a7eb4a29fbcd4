import type { SeedShow } from '../../src/infrastructure/cli/seed-output.js';
import type { LoadStats } from './stats.js';

export interface OversellCheck {
  /** Tickets the read model shows as sold, once it stopped changing. */
  soldInReadModel: number | undefined;
  /** Sold beyond capacity, by the read model or by the clients' confirmations, plus seats confirmed twice. */
  oversold: number;
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the show and its seat map through the API until they stop changing, then compares with capacity. */
export async function checkOversell(baseUrl: string, show: SeedShow, stats: LoadStats): Promise<OversellCheck> {
  let sold: number | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const now = await soldNow(baseUrl, show);
    if (now !== undefined && now === sold && now >= stats.ticketsBooked) break;
    sold = now;
    await sleep(500);
  }
  const notes: string[] = [];
  if (sold === undefined) notes.push('the seat map did not say how many were sold');
  else if (sold < stats.ticketsBooked) notes.push(`read model shows ${sold} sold, clients saw ${stats.ticketsBooked} confirmed`);
  const duplicates = stats.duplicateSeats();
  if (duplicates > 0) notes.push(`${duplicates} seats confirmed to more than one buyer`);
  const overCapacity = Math.max(0, (sold ?? 0) - show.capacity, stats.ticketsBooked - show.capacity);
  return { soldInReadModel: sold, oversold: overCapacity + duplicates, notes };
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

/** Understands a list of seats with a status, or counts (sold / remaining) for general admission. */
export function countSold(body: any, capacity: number): number | undefined {
  if (typeof body?.sold === 'number') return body.sold;
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
