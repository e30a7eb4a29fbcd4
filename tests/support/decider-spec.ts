import { expect } from 'chai';
import type { Decider, DomainEvent } from '../../src/domain/shared/decider.js';

type ErrorClass = abstract new (...args: any[]) => Error;

export interface Then<E> {
  /** The command produced exactly these events (deep equality, in order). */
  then(expected: E[]): void;
  /** The command was rejected with this error class (and, optionally, this code). */
  thenThrows(errorClass: ErrorClass, code?: string): void;
}

export interface When<C, E> {
  when(command: C): Then<E>;
}

/**
 * Given/when/then for a decider (after Emmett's DeciderSpecification):
 * `const given = deciderSpec(memberDecider); given([signedUp]).when(rename).then([renamed])`.
 * The past events are folded with `evolve` from `initialState()`, then `decide` runs once.
 */
export function deciderSpec<S, C, E extends DomainEvent>(decider: Decider<S, C, E>): (events: E[]) => When<C, E> {
  return (events) => ({
    when: (command) => {
      const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected) => {
          expect(run()).to.deep.equal(expected);
        },
        thenThrows: (errorClass, code) => {
          let produced: E[] | undefined;
          let thrown: unknown;
          try {
            produced = run();
          } catch (error) {
            thrown = error;
          }
          if (produced) expect.fail(`expected ${errorClass.name}, but the command produced ${JSON.stringify(produced)}`);
          expect(thrown).to.be.instanceOf(errorClass);
          if (code !== undefined) expect(thrown).to.have.property('code', code);
        },
      };
    },
  });
}
