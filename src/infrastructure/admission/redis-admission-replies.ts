import type { AdmitResult, MemberPlace, QueuePhase } from '../../application/ports/admission-queue.js';

/** Turns a place script's reply ({'waiting', t, ahead} | {'admitted', expiry} | …) into a MemberPlace. */
export function parsePlace(reply: unknown): MemberPlace {
  const [state, a, b] = reply as [string, string | number | undefined, number | undefined];
  switch (state) {
    case 'waiting':
      return Number(a) === 0
        ? { state: 'waiting', preQueue: true, ticket: 0, ahead: null }
        : { state: 'waiting', preQueue: false, ticket: Number(a), ahead: Number(b) };
    case 'admitted':
      return { state: 'admitted', leaseExpiresAt: Number(a) };
    case 'closed':
      return { state: 'closed', reason: String(a) };
    default:
      return { state: 'absent' };
  }
}

/** Turns the admit script's reply {phase, active, waiting, expired, "member|joined:ahead"…} into an AdmitResult. */
export function parseAdmitReply(reply: (string | number)[]): AdmitResult {
  const [phase, active, waiting, expired, ...entries] = reply;
  return {
    phase: phase as QueuePhase,
    active: Number(active),
    waiting: Number(waiting),
    expired: Number(expired),
    admitted: entries.map((entry) => {
      const [memberId, joined] = String(entry).split('|') as [string, string];
      const [joinedAt, ahead] = joined.split(':');
      return { memberId, joinedAt: Number(joinedAt) || 0, aheadAtJoin: Number(ahead) || 0 };
    }),
  };
}
