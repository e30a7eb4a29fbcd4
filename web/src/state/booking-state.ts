import { serverNow } from '../api/http.js';
import type { Hold } from '../api/types.js';

/**
 * What the API does not let us read back: the admission token of a show and a hold's details
 * (there is no GET for a hold). Kept per browser tab, like the hold itself.
 */

interface Admission {
  token: string;
  expiresAt?: string;
}

const admissionKey = (showId: string) => `onsale.admission.${showId}`;
const holdKey = (holdId: string) => `onsale.hold.${holdId}`;

function read<T>(key: string): T | undefined {
  try {
    return (JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveAdmission(showId: string, admission: Admission): void {
  sessionStorage.setItem(admissionKey(showId), JSON.stringify(admission));
}

/** The admission token for a show, while it has not expired. */
export function admissionFor(showId: string): Admission | undefined {
  const admission = read<Admission>(admissionKey(showId));
  if (!admission) return undefined;
  if (admission.expiresAt && Date.parse(admission.expiresAt) <= serverNow()) {
    forgetAdmission(showId);
    return undefined;
  }
  return admission;
}

export function forgetAdmission(showId: string): void {
  sessionStorage.removeItem(admissionKey(showId));
}

export function saveHold(hold: Hold): void {
  sessionStorage.setItem(holdKey(hold.holdId), JSON.stringify(hold));
}

export function holdById(holdId: string): Hold | undefined {
  return read<Hold>(holdKey(holdId));
}

export function forgetHold(holdId: string): void {
  sessionStorage.removeItem(holdKey(holdId));
}
