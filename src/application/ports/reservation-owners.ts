/** Who made a reservation (a fact that never changes, so a read model may answer it). */
export interface ReservationOwners {
  /** The member's id, or undefined when the read model does not know the reservation (yet). */
  ownerOf(reservationId: string): Promise<string | undefined>;
}
