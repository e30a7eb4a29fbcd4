/** What the pages need from the API, whatever small shape differences the server's answers have. */

/** `blocked`: no seat there (left out of the section), never for sale. */
export type SeatStatus = 'available' | 'held' | 'sold' | 'blocked';

export interface Section {
  id: string;
  name: string;
  rows: number;
  seatsPerRow: number;
  price: number;
}

export interface Show {
  id: string;
  title: string;
  venue: string;
  startsAt: string;
  salesOpenAt?: string;
  salesCloseAt?: string;
  maxTicketsPerMember: number;
  currency: string;
  sections: Section[];
  /** Set for general admission. */
  generalAdmission?: { capacity: number; price: number };
  queueEnabled: boolean;
  remaining?: number;
  capacity?: number;
}

export interface Seat {
  id: string;
  section: string;
  row: string;
  number: string;
  status: SeatStatus;
}

export interface SeatMap {
  seats: Map<string, Seat>;
  /** General admission: tickets left. */
  remaining?: number;
}

export type QueueStatus =
  | {
      state: 'waiting';
      preQueue: boolean;
      position?: number;
      ahead?: number;
      etaSeconds?: number;
      /** When the wait is uncertain (places taken): its long end. */
      etaHighSeconds?: number;
      opensAt?: string;
      /** The organizer paused admissions for now. */
      paused?: boolean;
    }
  /** `expiresAt`: the lease, renewed by polling; `tokenExpiresAt`: the token, refreshed by each poll. */
  | { state: 'admitted'; admissionToken: string; expiresAt?: string; tokenExpiresAt?: string }
  | { state: 'closed'; reason: string }
  | { state: 'none' };

export interface Hold {
  holdId: string;
  showId: string;
  seats: string[];
  quantity?: number;
  total?: number;
  currency?: string;
  expiresAt: string;
  /** Best available: whether the party sits side by side in one row. */
  together?: boolean;
  /** Hand picks on a show whose orphan rule is `warn`: the single seats these seats strand. */
  warnings?: Array<{ code: string; seat: string; suggestion?: string[] }>;
}

export interface Confirmation {
  reservationId: string;
  seats: string[];
  total?: number;
}

export interface Reservation {
  id: string;
  showId: string;
  showTitle?: string;
  seats: string[];
  quantity: number;
  total?: number;
  currency?: string;
  status: string;
  createdAt?: string;
}

export interface Member {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

/** One ticket of a reservation: a signed code and its QR code (both absent once it is cancelled). */
export interface Ticket {
  ticketId: string;
  seat: string;
  code?: string;
  qrSvg?: string;
  checkedInAt?: string;
  gate?: string;
}

export interface ReservationTickets {
  reservationId: string;
  showId: string;
  status: 'valid' | 'revoked';
  tickets: Ticket[];
}

/** A ticket admitted at the door (the TicketCheckedIn event). */
export interface CheckedIn {
  ticketId: string;
  showId: string;
  seat: string;
  gate: string;
  checkedInAt: string;
}

export interface ShowCheckIns {
  showId: string;
  checkedIn: number;
  total: number;
  gates: Array<{ gate: string; checkedIn: number; lastAt: string }>;
}

/** Your place on a show's waiting list (1 = next; 0 while an offer is open to you), and the offer. */
export interface WaitlistPlace {
  showId: string;
  place: number;
  quantity: number;
  joinedAt: string;
  waiting: number;
  offer?: { holdId: string; seats: string[]; quantity: number; expiresAt: string };
}
