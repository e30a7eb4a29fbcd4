import { inject, injectable } from 'tsyringe';
import { showDecider, showStreamId } from '../../domain/catalog/show.decider.js';
import type { SaleChanges } from '../../domain/catalog/show.events.js';
import { READ_YOUR_WRITES_MS, SHOWS_PROJECTION } from '../booking/read-models.js';
import type { Clock } from '../ports/clock.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { StreamProcessor } from '../stream-processor.js';
import { TOKENS } from '../tokens.js';
import type { ShowStates } from './show-states.js';

/** Changes a show's sale window, per-member limit or queue settings (unsafe changes are refused once sales opened). */
@injectable()
export class ChangeShowSaleHandler {
  constructor(
    @inject(StreamProcessor) private readonly processor: StreamProcessor,
    @inject(TOKENS.ShowStates) private readonly shows: ShowStates,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async handle(showId: string, changes: SaleChanges, by?: string): Promise<void> {
    const done = await this.processor.execute(showStreamId(showId), showDecider, {
      type: 'ChangeShowSale',
      showId,
      changes,
      now: this.clock.now(),
      ...(by === undefined ? {} : { by }),
    });
    this.shows.changed(showId);
    await this.waiter.waitFor(SHOWS_PROJECTION, done.position, READ_YOUR_WRITES_MS);
  }
}
