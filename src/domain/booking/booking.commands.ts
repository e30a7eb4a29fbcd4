/** Reserved seats by id, or a quantity from a general-admission pool. */
export type HoldRequest = { seats: string[] } | { quantity: number };

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
}

export type BookingCommand = HoldSeats | ConfirmHold | ReleaseHold | ExpireHold | CancelReservation;
