import type { QueueView } from '../../application/admission/queue-view.js';
import type { HoldSeatsHandler } from '../../application/booking/hold-seats.handler.js';
import type { HoldView } from '../../application/booking/hold-view.js';
import type { AdmissionGate } from '../../application/ports/admission-gate.js';
import type { HoldRequest } from '../../domain/booking/booking.commands.js';
import type { Logger } from '../logging/logger.js';
import type { Problem } from './problem.js';
import { problemFor } from './problem.middleware.js';

/** A join's answer: the queue view, and on admission the hold it asked for or why that hold was refused. */
export type JoinAnswer = QueueView & { hold?: HoldView; holdProblem?: Problem };

export interface HoldAtAdmissionParts {
  holds: () => HoldSeatsHandler;
  gate: () => AdmissionGate;
  logger: () => Logger;
}

/**
 * Places the hold a join asked for once its answer admits, through POST /holds' own handler (token,
 * limits, idempotency) under the token just issued. The idempotency key is the admission's
 * (`admittedAt`): a join retried after a lost answer gets the same hold, a later admission a new one.
 * A refused or failed hold leaves the admission standing: the answer carries the problem instead.
 */
export function holdAtAdmission(parts: HoldAtAdmissionParts) {
  return async (view: QueueView, ask: { showId: string; memberId: string; request?: HoldRequest }): Promise<JoinAnswer> => {
    if (!ask.request || view.state !== 'admitted') return view;
    const { showId, memberId, request } = ask;
    try {
      const admittedAt = await parts.gate().verify(showId, memberId, view.admissionToken);
      const hold = await parts.holds().handle({
        showId,
        memberId,
        request,
        admissionToken: view.admissionToken,
        idempotencyKey: admittedAt === undefined ? undefined : `admission-${admittedAt}`,
      });
      return { ...view, hold };
    } catch (thrown) {
      const { body } = problemFor(thrown, parts.logger(), { method: 'POST', path: `/api/shows/${showId}/queue` });
      return { ...view, holdProblem: body };
    }
  };
}
