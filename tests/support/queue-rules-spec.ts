import { expect } from 'chai';
import type { QueueState } from '../../src/domain/admission/queue.state.js';

/** One step over a queue: the queue after it (a queue's first step may create it). */
export type QueueStep = (queue: QueueState | undefined) => QueueState | undefined;

export interface QueueThen<R> {
  /** The step answered exactly this (deep equality); returns the queue after it for further checks. */
  then(expected: R): QueueState | undefined;
}

/**
 * Given/when/then for the waiting room's rules, like deciderSpec for the deciders: the given
 * steps run from no queue, then the step under test runs once and its answer is compared.
 * `givenQueue(joined('a'), joined('b')).when((q) => status(q, 'b', T0, lease)).then({…})`.
 */
export function givenQueue(...steps: QueueStep[]): { when<R>(act: (queue: QueueState | undefined) => R): QueueThen<R> } {
  return {
    when: (act) => ({
      then: (expected) => {
        const queue = steps.reduce<QueueState | undefined>((q, step) => step(q), undefined);
        expect(act(queue)).to.deep.equal(expected);
        return queue;
      },
    }),
  };
}
