/** Members a show's queue has just admitted, and when their lease runs out unless renewed. */
export interface Admissions {
  showId: string;
  memberIds: string[];
  leaseExpiresAt: number;
}

/**
 * Word of admissions to every server process, so that members waiting on a long poll anywhere hear
 * of their turn at once, without a look-up of their own. Best effort: a lost word only waits for
 * that process's next look-up.
 */
export interface AdmissionNews {
  announce(admissions: Admissions): void;
  listen(listener: (admissions: Admissions) => void): void;
}
