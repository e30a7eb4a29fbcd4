/** What an admission token says: this member may hold seats of this show until `exp` (epoch seconds). */
export interface AdmissionClaims {
  sub: string;
  show: string;
  exp: number;
}

export function admissionClaims(memberId: string, showId: string, nowMs: number, ttlSeconds: number): AdmissionClaims {
  return { sub: memberId, show: showId, exp: Math.floor(nowMs / 1000) + ttlSeconds };
}

/** Why the claims do not admit this member to this show now, or undefined when they do. */
export function claimsProblem(claims: AdmissionClaims, memberId: string, showId: string, nowMs: number): string | undefined {
  if (claims.sub !== memberId) return 'it was issued to another member';
  if (claims.show !== showId) return 'it was issued for another show';
  if (claims.exp * 1000 <= nowMs) return 'it has expired';
  return undefined;
}
