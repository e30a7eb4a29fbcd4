/** Seat of a general-admission ticket (seat ids are `<section>-<row>-<n>`, so this never collides). */
export const GENERAL_ADMISSION = 'GA';

/** What a ticket code says: which show, which ticket of which reservation, which seat. */
export interface Ticket {
  showId: string;
  reservationId: string;
  /** 1-based place of the ticket in its reservation. */
  index: number;
  seat: string;
}

export const ticketIdOf = (ticket: Pick<Ticket, 'reservationId' | 'index'>) => `${ticket.reservationId}.${ticket.index}`;

/** The tickets of a reservation: one per seat, or one per general-admission unit. */
export function ticketsOf(reservation: { showId: string; reservationId: string; seats: string[]; quantity: number }): Ticket[] {
  const { showId, reservationId, seats, quantity } = reservation;
  return Array.from({ length: seats.length > 0 ? seats.length : quantity }, (_, i) => ({
    showId,
    reservationId,
    index: i + 1,
    seat: seats[i] ?? GENERAL_ADMISSION,
  }));
}
