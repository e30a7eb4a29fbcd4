import { expect } from 'chai';
import type { QueueView } from '../../../src/application/admission/queue-view.js';
import { queueEventStream } from '../../../src/infrastructure/http/queue-event-stream.js';

const waiting = (position: number): QueueView => ({
  state: 'waiting',
  preQueue: false,
  position,
  ahead: position - 1,
  etaSeconds: position,
});
const admitted: QueueView = {
  state: 'admitted',
  admissionToken: 't',
  expiresAt: '2030-01-01T00:00:00Z',
  tokenExpiresAt: '2030-01-01T00:00:00Z',
};

/** Runs a stream over scripted views and collects the events it sent. */
async function eventsOf(
  views: QueueView[],
  options: { pollMs: number; positionEveryMs: number },
): Promise<{ events: string[]; polledAt: number[] }> {
  const polledAt: number[] = [];
  let next = 1;
  const { stream, stop } = queueEventStream({
    first: views[0]!,
    poll: async () => {
      polledAt.push(Date.now());
      return views[Math.min(next++, views.length - 1)]!;
    },
    tokenRefreshMs: 60_000,
    ...options,
  });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    setTimeout(resolve, options.pollMs * (views.length + 2));
  });
  stop();
  return { events: [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]!), polledAt };
}

describe('the waiting room event stream', () => {
  it('when the position changes at every poll, then it is sent at most once per positionEveryMs', async () => {
    const views = Array.from({ length: 20 }, (_, i) => waiting(100 - i));
    const { events, polledAt } = await eventsOf(views, { pollMs: 20, positionEveryMs: 200 });
    expect(polledAt.length).to.be.greaterThan(5);
    expect(events.filter((event) => event === 'position').length).to.be.within(1, 3);
  });

  it('when the member is admitted, then it is sent at the next poll, however recent the last position', async () => {
    const { events } = await eventsOf([waiting(2), waiting(1), admitted, { state: 'closed', reason: 'sold_out' }], {
      pollMs: 20,
      positionEveryMs: 10_000,
    });
    expect(events).to.deep.equal(['position', 'admitted', 'closed']);
  });

  it('when streams start apart, then they poll together on a grid of the period (so their asks share one call)', async () => {
    const pollMs = 50;
    const views = Array.from({ length: 6 }, (_, i) => waiting(10 - i));
    const first = eventsOf(views, { pollMs, positionEveryMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 17));
    const second = await eventsOf(views, { pollMs, positionEveryMs: 0 });
    const { polledAt } = await first;
    // Each poll lands on a multiple of the period, late only by the timer's own delay; a stream
    // timed from its own start would sit 17 ms off the grid. The median phase keeps one slow
    // timer on a loaded machine from deciding the outcome.
    const medianPhase = (times: number[]) => times.map((at) => at % pollMs).sort((a, b) => a - b)[times.length >> 1]!;
    for (const times of [polledAt, second.polledAt]) {
      expect(times.length).to.be.greaterThan(2);
      expect(medianPhase(times), `polled at ${times.join(', ')}`).to.be.below(10);
    }
  });
});
