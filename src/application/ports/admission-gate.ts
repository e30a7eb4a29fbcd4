/**
 * What booking asks of the waiting room. With a show's queue disabled every call passes;
 * with it enabled, a hold needs a valid admission token for that member and show.
 */
export interface AdmissionGate {
  /** Throws 403 ADMISSION.REQUIRED / ADMISSION.INVALID, or 503 when the queue store is down. */
  verify(showId: string, memberId: string, admissionToken: string | undefined): Promise<void>;
  /** The member is done shopping (confirmed, released, cancelled): their place goes to the next. */
  release(showId: string, memberId: string): Promise<void>;
  /** The show has nothing left to sell: stop admitting and tell everyone waiting. */
  soldOut(showId: string): Promise<void>;
}
