/**
 * What booking asks of the waiting room. With a show's queue disabled every call passes;
 * with it enabled, a hold needs a valid admission token for that member and show.
 */
export interface AdmissionGate {
  /**
   * The admission a hold is made under (its admittedAt; undefined when the show has no queue).
   * Throws 403 ADMISSION.REQUIRED / ADMISSION.INVALID, or 503 when the queue store is down.
   */
  verify(showId: string, memberId: string, admissionToken: string | undefined): Promise<number | undefined>;
  /**
   * A hold made under admission `admittedAt` ended (confirmed, released, expired): that admission's
   * place goes to the next. A later admission of the same member is left standing.
   */
  release(showId: string, memberId: string, admittedAt: number): Promise<void>;
  /** The show has nothing left to sell: stop admitting and tell everyone waiting. */
  soldOut(showId: string): Promise<void>;
}
