import { openStream, request } from './http.js';
import { listOf, toConfirmation, toHold, toQueueStatus, toReservation, toSeatMap, toShow } from './normalise.js';
import { readEvents } from './sse.js';
import type { DoorList } from '../door/door-check.js';
import type {
  CheckedIn,
  ShowCheckIns,
  Confirmation,
  Hold,
  Member,
  QueueStatus,
  Reservation,
  ReservationTickets,
  SeatMap,
  Show,
  WaitlistPlace,
} from './types.js';

/** Every call the front end makes: the only file that knows the API's paths and shapes. */

const path = (id: string) => encodeURIComponent(id);

/** Best available: `quantity` seats side by side, optionally in one section or up to a price. */
export interface BestAvailableRequest {
  quantity: number;
  section?: string;
  maxPrice?: number;
}

export interface LoginResult {
  accessToken: string;
  expiresIn?: number;
}

export const api = {
  signUp: (body: { email: string; password: string; name: string }) => request<Member>('POST', '/members', { body }),

  checkSetup: (token: string) => request<void>('GET', `/setup?token=${encodeURIComponent(token)}`),

  setUpAdmin: (body: { token: string; email: string; password: string; name: string }) => request<Member>('POST', '/setup', { body }),

  logIn: (body: { email: string; password: string }) => request<LoginResult>('POST', '/auth/login', { body }),

  me: () => request<Member>('GET', '/members/me'),

  async shows(): Promise<Show[]> {
    return listOf(await request('GET', '/shows'), 'shows').map(toShow);
  },

  async show(id: string): Promise<Show> {
    return toShow(await request('GET', `/shows/${path(id)}`));
  },

  /** Compact on the wire (a character per seat, by section and row); a Map of seats once read. */
  async seats(id: string): Promise<SeatMap> {
    return toSeatMap(await request('GET', `/shows/${path(id)}/seats`));
  },

  /** Named seats, a number of general-admission tickets, or on reserved seating the best seats for a quantity. */
  async hold(showId: string, choice: { seats: string[] } | BestAvailableRequest, admissionToken?: string): Promise<Hold> {
    const headers: Record<string, string> = admissionToken ? { 'Admission-Token': admissionToken } : {};
    const raw = await request<Record<string, unknown>>('POST', `/shows/${path(showId)}/holds`, { body: choice, headers, idempotent: true });
    return toHold(raw, showId);
  },

  async confirm(holdId: string): Promise<Confirmation> {
    return toConfirmation(await request('POST', `/holds/${path(holdId)}/confirm`, { idempotent: true }));
  },

  release: (holdId: string) => request<void>('DELETE', `/holds/${path(holdId)}`, { idempotent: true }),

  async reservations(): Promise<Reservation[]> {
    return listOf(await request('GET', '/members/me/reservations'), 'reservations').map(toReservation);
  },

  /** The reservation's e-tickets: a signed code and an SVG QR code each. */
  tickets: (reservationId: string) => request<ReservationTickets>('GET', `/reservations/${path(reservationId)}/tickets`),

  /** What an offline door scanner keeps of a show (staff). */
  doorList: (showId: string) => request<DoorList>('GET', `/shows/${path(showId)}/door-list`),

  /** How far the door is: admitted of sold, per gate (staff). */
  checkIns: (showId: string) => request<ShowCheckIns>('GET', `/shows/${path(showId)}/checkins`),

  /** Admits a ticket at a gate (staff): the server decides, exactly once. */
  checkIn: (body: { code: string; gate: string; showId: string; scannedAt?: string }) => request<CheckedIn>('POST', '/checkins', { body }),

  cancelReservation: (id: string) => request<void>('DELETE', `/reservations/${path(id)}`, { idempotent: true }),

  async joinQueue(showId: string): Promise<QueueStatus> {
    return toQueueStatus(await request('POST', `/shows/${path(showId)}/queue`));
  },

  async queueStatus(showId: string): Promise<QueueStatus> {
    return toQueueStatus(await request('GET', `/shows/${path(showId)}/queue`));
  },

  leaveQueue: (showId: string) => request<void>('DELETE', `/shows/${path(showId)}/queue`),

  /** A sold-out show's waiting list: join at the back, see your place and offer, leave, decline the offer. */
  joinWaitlist: (showId: string, quantity: number) =>
    request<{ place: number; quantity: number }>('POST', `/shows/${path(showId)}/waitlist`, { body: { quantity } }),
  waitlistPlace: (showId: string) => request<WaitlistPlace>('GET', `/shows/${path(showId)}/waitlist`),
  leaveWaitlist: (showId: string) => request<void>('DELETE', `/shows/${path(showId)}/waitlist`),
  declineOffer: (showId: string) => request<void>('POST', `/shows/${path(showId)}/waitlist/offer/decline`),

  /** Queue updates as they happen; ends (or throws) when the stream does, so the caller can poll. */
  async *queueEvents(showId: string, signal: AbortSignal): AsyncGenerator<QueueStatus> {
    const response = await openStream(`/shows/${path(showId)}/queue/events`, signal);
    for await (const message of readEvents(response.body!)) {
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(message.data) as Record<string, unknown>;
      } catch {
        continue;
      }
      // The state may come in the data or only as the event's name (event: admitted).
      const status = toQueueStatus({ state: message.event !== 'message' ? message.event : undefined, ...data });
      if (status.state !== 'none') yield status;
    }
  },
};
