/**
 * A quantity: from a general-admission pool, or on reserved seating the best seats available
 * (see docs/booking.md, "What best means"). The options are for reserved seating only.
 */
export interface QuantityRequest {
  quantity: number;
  /** Only this section. */
  section?: string;
  /** Only sections whose price is at most this (minor units). */
  maxPrice?: number;
  /** `required` (the default): one row, adjacent, or a refusal; `preferred`: else aligned rows, else scattered. */
  together?: 'required' | 'preferred';
  /** Wheelchair places wanted; the rest of the party sits in companion seats beside them. */
  accessible?: number;
}

/** Reserved seats by id, or a quantity. */
export type HoldRequest = { seats: string[] } | QuantityRequest;

export interface HoldSeats {
  type: 'HoldSeats';
  showId: string;
  memberId: string;
  holdId: string;
  request: HoldRequest;
  /** Pool shards to take from, in order of preference (all of them when absent). */
  poolParts?: string[];
  now: Date;
  expiresAt: Date;
  /** The waiting room's admission the hold is made under (its admittedAt, epoch ms); none without a queue. */
  admittedAt?: number;
  /** The hold is a waiting-list offer: the member is told by mail once it is placed. */
  waitlistOffer?: true;
}

export interface ConfirmHold {
  type: 'ConfirmHold';
  showId: string;
  memberId: string;
  holdId: string;
  reservationId: string;
  now: Date;
}

export interface ReleaseHold {
  type: 'ReleaseHold';
  showId: string;
  memberId: string;
  holdId: string;
  now: Date;
}

/** Sent by the deadline process; does nothing unless the hold is still held and past its time. */
export interface ExpireHold {
  type: 'ExpireHold';
  showId: string;
  memberId: string;
  holdId: string;
  now: Date;
}

export interface CancelReservation {
  type: 'CancelReservation';
  showId: string;
  memberId: string;
  reservationId: string;
  now: Date;
  /** An admin cancelling on the member's behalf, and why. */
  by?: string;
  reason?: string;
  /** Tickets of the reservation already admitted at the door (read from its tickets stream). */
  checkedIn?: { ticketId: string; gate: string; checkedInAt: string }[];
}

export type BookingCommand = HoldSeats | ConfirmHold | ReleaseHold | ExpireHold | CancelReservation;
