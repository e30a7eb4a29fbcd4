export interface GateCount {
  gate: string;
  checkedIn: number;
  /** The latest check-in at this gate. */
  lastAt: string;
}

/** Forged codes scanned at a gate (the organizer's alert). */
export interface GateForgeries {
  gate: string;
  forged: number;
  lastAt: string;
}

export interface AdmittedTicket {
  ticketId: string;
  gate: string;
  checkedInAt: string;
}

/** What the door knows of a show from the read models (they may lag the event log by moments). */
export interface DoorLists {
  /** Check-ins per gate, busiest first. */
  gates(showId: string): Promise<GateCount[]>;
  /** Tickets sold and not cancelled. */
  ticketsSold(showId: string): Promise<number>;
  /** Every ticket admitted so far. */
  admitted(showId: string): Promise<AdmittedTicket[]>;
  /** Forged codes scanned per gate, most first. */
  forgedScans(showId: string): Promise<GateForgeries[]>;
  /** Reservations cancelled: their tickets are revoked. */
  revokedReservations(showId: string): Promise<string[]>;
}
