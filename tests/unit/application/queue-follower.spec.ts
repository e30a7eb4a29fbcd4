import { expect } from 'chai';
import { defaultAdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import { QueueFollower, type QueueSink } from '../../../src/application/admission/queue-follower.js';
import type { QueueView } from '../../../src/application/admission/queue-view.js';
import { QueueWaits } from '../../../src/application/admission/queue-waits.js';
import { ShowMoments } from '../../../src/application/admission/show-moments.js';
import { QueueUnavailable } from '../../../src/domain/admission/admission.errors.js';
import { HmacAdmissionTokens } from '../../../src/infrastructure/admission/hmac-admission-tokens.js';
import { InProcessAdmissionQueue } from '../../../src/infrastructure/admission/memory-admission-queue.js';
import { TestSales } from '../../integration/admission/queue-server.js';

/** What a follower wrote: event names with their data, comments, and whether it ended. */
class Written implements QueueSink {
  events: { name: string; data: any }[] = [];
  comments = 0;
  ended = false;
  event(name: string, data: unknown): void {
    this.events.push({ name, data });
  }
  comment(): void {
    this.comments++;
  }
  end(): void {
    this.ended = true;
  }
}

const show = 'show-1';
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the waiting room event stream (a follower)', () => {
  const sales = new TestSales();
  sales.put(show);
  const tokens = new HmacAdmissionTokens([{ kid: 'k1', secret: 'a-secret-of-sixteen-chars' }]);
  const moments = new ShowMoments(sales, new QueueWaits(new InProcessAdmissionQueue(), defaultAdmissionSettings), tokens, 120);
  const first: QueueView = { state: 'waiting', preQueue: false, position: 3, ahead: 2, etaSeconds: 1 };
  const follow = (sink: Written, now = 0) => new QueueFollower(sink, moments, show, 'member-1', { tokenRefreshMs: 60_000 }, first, now);
  const waiting = (ahead: number) => ({ state: 'waiting', preQueue: false, ticket: 10, ahead }) as const;

  it('when the place moves, then a position is sent; when told the same place again, then nothing is', async () => {
    const sink = new Written();
    const follower = follow(sink);
    follower.place(waiting(2), 1000);
    await tick();
    follower.place(waiting(1), 2000);
    await tick();
    follower.place(waiting(1), 3000);
    await tick();
    expect(sink.events.map((e) => [e.name, e.data.position])).to.deep.equal([
      ['position', 3],
      ['position', 2],
    ]);
  });

  it('when admitted, then a token is sent at once and again only once it is due; a quiet stream gets a keep-alive', async () => {
    const sink = new Written();
    const follower = follow(sink);
    follower.place({ state: 'admitted', leaseExpiresAt: Date.now() + 20_000 }, 1000);
    await tick();
    follower.place({ state: 'admitted', leaseExpiresAt: Date.now() + 20_000 }, 5000);
    await tick();
    follower.place({ state: 'admitted', leaseExpiresAt: Date.now() + 20_000 }, 62_000);
    await tick();
    expect(sink.events.map((e) => e.name)).to.deep.equal(['position', 'admitted', 'admitted']);
    expect(sink.events[1]!.data.admissionToken).to.be.a('string');
    follower.place({ state: 'admitted', leaseExpiresAt: Date.now() + 20_000 }, 80_000);
    await tick();
    expect(sink.comments).to.equal(1);
  });

  it('when the place is lost, the queue closes or its store is down, then the stream says so and ends', async () => {
    const gone = new Written();
    follow(gone).place({ state: 'absent' }, 1000);
    const closed = new Written();
    follow(closed).place({ state: 'closed', reason: 'sold_out' }, 1000);
    const down = new Written();
    follow(down).failed(new QueueUnavailable('redis down'));
    await tick();
    expect(gone.events.at(-1)).to.deep.equal({ name: 'gone', data: { state: 'gone', code: 'ADMISSION.NOT_IN_QUEUE' } });
    expect(closed.events.at(-1)).to.deep.equal({ name: 'closed', data: { state: 'closed', reason: 'sold_out' } });
    expect(down.events.at(-1)!.name).to.equal('unavailable');
    expect([gone.ended, closed.ended, down.ended]).to.deep.equal([true, true, true]);
  });
});
