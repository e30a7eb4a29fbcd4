import { inject, injectable } from 'tsyringe';
import type { SaleControl } from '../../domain/catalog/show.commands.js';
import { showDecider, showStreamId } from '../../domain/catalog/show.decider.js';
import { SHOWS_PROJECTION } from '../booking/read-models.js';
import type { Clock } from '../ports/clock.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { StreamProcessor } from '../stream-processor.js';
import { TOKENS } from '../tokens.js';
import type { ShowStates } from './show-states.js';

/**
 * How long a control's answer waits for the shows read model: longer than a buyer's read-your-writes
 * wait, because the console shows what the read model says and does not ask again (a busy projection
 * on a loaded machine took over 2 s in CI, and the console showed the old rate).
 */
const CONTROL_READ_YOUR_WRITES_MS = 5000;

/**
 * The organizer's run-the-sale controls (open now, pause and resume admissions, admission rate and
 * maxActive, close now). Each is a `ShowSaleChanged` naming the action and the admin; every process
 * drops its cached show at once (ShowStates' broadcast), and the waiting room reads the shows read
 * model, which this answer waits for.
 */
@injectable()
export class RunSaleHandler {
  constructor(
    @inject(StreamProcessor) private readonly processor: StreamProcessor,
    @inject(TOKENS.ShowStates) private readonly shows: ShowStates,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** Whether anything changed (false: the sale was in that state already). */
  async handle(input: { showId: string; control: SaleControl; by: string }): Promise<{ changed: boolean }> {
    const done = await this.processor.execute(showStreamId(input.showId), showDecider, {
      type: 'RunSale',
      ...input,
      now: this.clock.now(),
    });
    if (done.events.length === 0) return { changed: false };
    this.shows.changed(input.showId);
    await this.waiter.waitFor(SHOWS_PROJECTION, done.position, CONTROL_READ_YOUR_WRITES_MS);
    return { changed: true };
  }
}
