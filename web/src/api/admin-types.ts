/** What the organizer console reads: shapes of the admin routes (docs/organizer.md). */

export type SaleState = 'scheduled' | 'on-sale' | 'paused' | 'sold-out' | 'closed';

export interface AdminShow {
  id: string;
  title: string;
  venue: string;
  startsAt: string;
  salesOpenAt: string;
  salesCloseAt?: string;
  currency: string;
  maxTicketsPerMember: number;
  state: SaleState;
  capacity: number;
  sold: number;
  held: number;
  remaining: number;
  queue: { enabled: boolean; admitPerSecond: number; maxActive: number; paused?: boolean };
  seating: { sections: unknown[] } | { generalAdmission: { capacity: number; price: number } };
}

export interface BuyerReservation {
  reservationId: string;
  showId: string;
  memberId: string;
  email?: string;
  name?: string;
  seats: string[];
  quantity: number;
  total: number;
  currency: string;
  status: 'confirmed' | 'cancelled';
  confirmedAt: string;
  cancelledAt?: string;
}

export interface HistoryEntry {
  position: number;
  type: string;
  at: string;
  actor: string;
  actorName?: string;
  onBehalfOf?: string;
  onBehalfOfName?: string;
  correlationId?: string;
  seats?: string[];
  reason?: string;
}

export type SaleControlPath = 'open' | 'pause' | 'resume' | 'close';

/** One second of a sale (GET /api/admin/shows/:id/live). */
export interface SaleSample {
  at: string;
  state: SaleState;
  capacity: number;
  sold: number;
  held: number;
  remaining: number;
  waitingRoom: boolean;
  waiting: number;
  active: number;
  admittedTotal: number;
  abandonedTotal: number;
  admitPerSecond: number;
  maxActive: number;
  paused: boolean;
  etaErrorSumSeconds: number;
  etaErrorCount: number;
  projectionLagPositions: number;
  projectionLagSeconds: number;
  /** Every process's 4xx and 5xx so far (the whole service, not only this show). */
  clientErrorsTotal: number;
  serverErrorsTotal: number;
  forgedScans: { gate: string; forged: number; lastAt: string }[];
}
