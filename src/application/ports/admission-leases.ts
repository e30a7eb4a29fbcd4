/** When the places taken in a show's waiting room end if their holders go quiet. */
export interface AdmissionLeases {
  /** The earliest `limit` lease ends (epoch ms), soonest first. */
  leaseEnds(showId: string, limit: number): Promise<number[]>;
}
