import type { Confirmation, Hold, QueueStatus, Reservation, Seat, SeatMap, SeatStatus, Section, Show } from './types.js';

type Json = Record<string, any>;

const num = (...values: unknown[]): number | undefined => {
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
};
const str = (...values: unknown[]): string | undefined => {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
};

/** A list answer: a bare array or `{items|shows|reservations|data: [...]}`. */
export function listOf(body: unknown, ...keys: string[]): Json[] {
  if (Array.isArray(body)) return body;
  const object = (body ?? {}) as Json;
  for (const key of [...keys, 'items', 'data', 'results']) if (Array.isArray(object[key])) return object[key];
  return [];
}

export function toShow(raw: Json): Show {
  const seating = (raw.seating ?? {}) as Json;
  const ga = (seating.generalAdmission ?? raw.generalAdmission) as Json | undefined;
  const sections = listOf(seating.sections ?? raw.sections).map((s): Section => ({
    id: String(s.id),
    name: str(s.name) ?? String(s.id),
    rows: num(s.rows, Array.isArray(s.rows) ? s.rows.length : undefined) ?? 0,
    seatsPerRow: num(s.seatsPerRow) ?? 0,
    price: num(s.price) ?? 0,
  }));
  const queue = (raw.queue ?? {}) as Json;
  return {
    id: String(raw.id ?? raw.showId),
    title: str(raw.title, raw.name) ?? '',
    venue: str(raw.venue) ?? '',
    startsAt: str(raw.startsAt) ?? '',
    salesOpenAt: str(raw.salesOpenAt),
    salesCloseAt: str(raw.salesCloseAt),
    maxTicketsPerMember: num(raw.maxTicketsPerMember) ?? 4,
    currency: str(raw.currency) ?? 'KRW',
    sections,
    generalAdmission: ga ? { capacity: num(ga.capacity) ?? 0, price: num(ga.price) ?? 0 } : undefined,
    queueEnabled: Boolean(queue.enabled ?? raw.queueEnabled),
    remaining: num(raw.remaining, raw.remainingTickets, raw.available, raw.ticketsLeft, raw.inventory?.remaining),
    capacity: num(raw.capacity, raw.totalTickets, raw.inventory?.capacity),
  };
}

const STATUSES: SeatStatus[] = ['available', 'held', 'sold', 'blocked'];

export function toSeatStatus(value: unknown): SeatStatus {
  const text = String(value ?? '').toLowerCase();
  if ((STATUSES as string[]).includes(text)) return text as SeatStatus;
  if (text === 'reserved' || text === 'taken' || text === 'booked') return 'sold';
  return text === 'free' ? 'available' : 'held';
}

export function seatFromId(id: string, status: SeatStatus): Seat {
  const match = /^(.+)-([^-]+)-([^-]+)$/.exec(id);
  return { id, section: match?.[1] ?? id, row: match?.[2] ?? '', number: match?.[3] ?? '', status };
}

const LEGEND: Record<string, SeatStatus> = { a: 'available', h: 'held', s: 'sold', x: 'blocked' };

/**
 * Reads every seat's status from a seat-map answer. The server's form is compact: `sections[].rows`
 * are strings, character n of row r being seat `<section>-<r>-<n>` (`legend` names the characters).
 * Also read: a flat `seats` list or map, seats nested in `sections[].rows[].seats[]` or
 * `sections[].seats[]`, or lists of ids per status.
 */
export function toSeatMap(raw: Json): SeatMap {
  const seats = new Map<string, Seat>();
  const legend = (raw.legend ?? LEGEND) as Json;
  for (const section of listOf(raw.sections)) addRowStrings(seats, section, legend);
  const add = (id: unknown, status: unknown) => {
    if (typeof id === 'string' || typeof id === 'number') seats.set(String(id), seatFromId(String(id), toSeatStatus(status)));
  };
  const addAll = (list: unknown) => {
    if (Array.isArray(list)) for (const seat of list) add(seat?.id ?? seat?.seatId, seat?.status ?? seat?.state);
    else if (list && typeof list === 'object') for (const [id, status] of Object.entries(list)) add(id, status);
  };
  addAll(raw.seats);
  for (const section of listOf(raw.sections)) {
    addAll(section.seats);
    for (const row of listOf(section.rows)) addAll(row.seats);
  }
  for (const status of STATUSES) if (Array.isArray(raw[status])) for (const id of raw[status]) add(id, status);
  const ga = (raw.generalAdmission ?? {}) as Json;
  return { seats, remaining: num(raw.remaining, ga.remaining, raw.available) };
}

/** Compact rows: character n of `rows[r - 1]` is seat `<section>-<r>-<n>`; an unknown character reads as held. */
function addRowStrings(seats: Map<string, Seat>, section: Json, legend: Json): void {
  if (!Array.isArray(section.rows)) return;
  // each character read once per answer, not once per seat (a stadium has thousands)
  const statusOf = new Map<string, SeatStatus>();
  const sectionId = String(section.id);
  section.rows.forEach((codes: unknown, r: number) => {
    if (typeof codes !== 'string') return;
    const row = String(r + 1);
    for (let n = 1; n <= codes.length; n++) {
      const code = codes[n - 1]!;
      let status = statusOf.get(code);
      if (status === undefined) statusOf.set(code, (status = toSeatStatus(legend[code])));
      const id = `${sectionId}-${row}-${n}`;
      seats.set(id, { id, section: sectionId, row, number: String(n), status });
    }
  });
}

export function toQueueStatus(raw: Json | undefined): QueueStatus {
  switch (raw?.state) {
    case 'waiting':
      return {
        state: 'waiting',
        preQueue: Boolean(raw.preQueue),
        position: num(raw.position),
        ahead: num(raw.ahead),
        etaSeconds: num(raw.etaSeconds),
        etaHighSeconds: num(raw.etaHighSeconds),
        opensAt: str(raw.opensAt),
        ...(raw.paused === true ? { paused: true } : {}),
      };
    case 'admitted':
      return {
        state: 'admitted',
        admissionToken: String(raw.admissionToken ?? raw.token ?? ''),
        expiresAt: str(raw.expiresAt),
        tokenExpiresAt: str(raw.tokenExpiresAt),
      };
    case 'closed':
      return { state: 'closed', reason: str(raw.reason) ?? 'closed' };
    default:
      return { state: 'none' };
  }
}

const seatIds = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((s) => (typeof s === 'string' ? s : String(s?.id ?? s?.seatId))) : [];

export function toHold(raw: Json, showId: string): Hold {
  return {
    holdId: String(raw.holdId ?? raw.id),
    showId: str(raw.showId) ?? showId,
    seats: seatIds(raw.seats),
    quantity: num(raw.quantity, Array.isArray(raw.seats) ? raw.seats.length : undefined),
    total: num(raw.total),
    currency: str(raw.currency),
    expiresAt: String(raw.expiresAt),
    ...(typeof raw.together === 'boolean' ? { together: raw.together } : {}),
    ...(Array.isArray(raw.warnings) && raw.warnings.length > 0
      ? { warnings: raw.warnings.map((w: Json) => ({ code: String(w.code), seat: String(w.seat), suggestion: w.suggestion })) }
      : {}),
  };
}

export function toConfirmation(raw: Json): Confirmation {
  return { reservationId: String(raw.reservationId ?? raw.id), seats: seatIds(raw.seats), total: num(raw.total, raw.total?.amount) };
}

export function toReservation(raw: Json): Reservation {
  const seats = seatIds(raw.seats);
  return {
    id: String(raw.reservationId ?? raw.id),
    showId: String(raw.showId ?? raw.show?.id ?? ''),
    showTitle: str(raw.showTitle, raw.title, raw.show?.title),
    seats,
    quantity: num(raw.quantity, raw.tickets) ?? seats.length,
    total: num(raw.total, raw.total?.amount),
    currency: str(raw.currency, raw.show?.currency),
    status: str(raw.status) ?? 'confirmed',
    createdAt: str(raw.createdAt, raw.confirmedAt, raw.reservedAt),
  };
}
