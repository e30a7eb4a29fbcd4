import { phaseAt } from './queue-phase.js';
import type { QueueState } from './queue.state.js';

/**
 * Stops the pre-queue (phase `drawing`: later joiners take tickets after it) and returns it
 * de-duplicated in join order, the same list on every call. With `opening`, a pre-queue is only
 * frozen once `opening.instant` has reached the opening.
 */
export function freeze(q: QueueState | undefined, opening?: { instant: number; salesOpenAt: number }): string[] | undefined {
  if (!q) return undefined;
  const phase = opening ? phaseAt(q.phase, opening.instant, opening.salesOpenAt) : q.phase === 'prequeue' ? 'drawing' : q.phase;
  if (phase !== 'drawing') return undefined;
  const list = [...new Set(q.pre)];
  if (q.phase === 'prequeue') {
    q.phase = 'drawing';
    q.next = list.length;
  }
  return list;
}

/** Gives the frozen pre-queue tickets 1…count in the drawn order, then opens; a repeat changes nothing. */
export function applyDraw(q: QueueState | undefined, order: readonly string[], now: number): void {
  if (!q || q.phase !== 'drawing') return;
  order.forEach((memberId, index) => {
    const ticket = index + 1;
    const current = q.tickets.get(memberId);
    if (current === 0) {
      q.tickets.set(memberId, ticket);
      q.owners.set(ticket, memberId);
      q.joined.set(memberId, { at: now, ahead: ticket - 1 });
    } else if (current !== ticket) {
      // left (or left and came back after the freeze, with a later ticket): the draw's place stays empty
      q.left.add(ticket);
    }
  });
  Object.assign(q, { phase: 'open', tokens: 0, refillAt: now, pre: [] });
}
