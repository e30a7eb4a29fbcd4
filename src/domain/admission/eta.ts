/**
 * Seconds until a member with `ahead` people in front is admitted, at the show's admission rate.
 * Deliberately the plain rate, not a jittery measurement: a stable figure that only moves down.
 */
export function estimateWaitSeconds(ahead: number, admitPerSecond: number): number {
  if (admitPerSecond <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((ahead + 1) / admitPerSecond);
}

/** How far the estimate given at join was off, in seconds (positive: admitted later than said). */
export function etaErrorSeconds(admission: { joinedAt: number; aheadAtJoin: number }, admittedAt: number, admitPerSecond: number): number {
  const waited = (admittedAt - admission.joinedAt) / 1000;
  return waited - estimateWaitSeconds(admission.aheadAtJoin, admitPerSecond);
}
