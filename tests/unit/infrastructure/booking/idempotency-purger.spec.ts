import { expect } from 'chai';
import { IdempotencyPurger, type ExpiringAnswers } from '../../../../src/infrastructure/booking/idempotency-purger.js';

const NOW = Date.UTC(2030, 0, 1);
const clock = { now: () => new Date(NOW) };
const silent = { warn: () => undefined };

/** Old answers counted down by each purge, with the cutoffs asked for. */
function backlog(size: number): ExpiringAnswers & { left: number; cutoffs: number[] } {
  return {
    left: size,
    cutoffs: [],
    async purgeBefore(cutoffMs, limit) {
      this.cutoffs.push(cutoffMs);
      const deleted = Math.min(limit, this.left);
      this.left -= deleted;
      return deleted;
    },
  };
}

describe('the idempotency purger', () => {
  it('when a pass runs, then it purges chunks older than the retention until one comes back short', async () => {
    const answers = backlog(25);
    const purger = new IdempotencyPurger(answers, clock, silent, { retentionMs: 3_600_000, chunk: 10, pauseMs: 0 });
    expect(await purger.purge()).to.equal(25);
    expect(answers.cutoffs).to.deep.equal([NOW - 3_600_000, NOW - 3_600_000, NOW - 3_600_000]);
  });

  it('when it is stopped during a long pass, then the pass ends after the chunk under way', async () => {
    const answers = backlog(1_000_000);
    const purger = new IdempotencyPurger(answers, clock, silent, { retentionMs: 1, chunk: 10, pauseMs: 5, intervalMs: 1 });
    purger.start();
    while (answers.cutoffs.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await purger.stop();
    const chunks = answers.cutoffs.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answers.cutoffs.length).to.equal(chunks);
    expect(answers.left).to.be.greaterThan(999_000);
  });

  it('when the database fails, then it says so and tries again at the next interval', async () => {
    const warnings: string[] = [];
    let attempts = 0;
    const failing: ExpiringAnswers = {
      async purgeBefore() {
        attempts++;
        throw new Error('database down');
      },
    };
    const purger = new IdempotencyPurger(
      failing,
      clock,
      { warn: (_, message) => warnings.push(message) },
      { retentionMs: 1, intervalMs: 5 },
    );
    purger.start();
    while (attempts < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await purger.stop();
    expect(warnings[0]).to.match(/could not purge/);
  });
});
