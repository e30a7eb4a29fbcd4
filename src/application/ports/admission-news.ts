/** Members a show's queue has just admitted. */
export interface Admissions {
  showId: string;
  memberIds: string[];
}

/**
 * Word of admissions to every server process, so that members waiting on a long poll anywhere hear
 * of their turn at once instead of at their process's next look-up. Best effort: a lost word only
 * waits for that look-up.
 */
export interface AdmissionNews {
  announce(admissions: Admissions): void;
  listen(listener: (admissions: Admissions) => void): void;
}
