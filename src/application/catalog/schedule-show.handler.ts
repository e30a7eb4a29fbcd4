import { inject, injectable } from 'tsyringe';
import { showDecider, showStreamId } from '../../domain/catalog/show.decider.js';
import type { ShowDefinition } from '../../domain/catalog/show.events.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { StreamProcessor } from '../stream-processor.js';
import { TOKENS } from '../tokens.js';
import { READ_YOUR_WRITES_MS, SEAT_MAP_PROJECTION, SHOWS_PROJECTION } from '../booking/read-models.js';

/** Puts a new show in the catalogue; answers once the show list and seat map know it. */
@injectable()
export class ScheduleShowHandler {
  constructor(
    @inject(StreamProcessor) private readonly processor: StreamProcessor,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
  ) {}

  async handle(show: ShowDefinition): Promise<{ showId: string }> {
    const showId = this.ids.next();
    const done = await this.processor.execute(showStreamId(showId), showDecider, {
      type: 'ScheduleShow',
      showId,
      show,
      now: this.clock.now(),
    });
    await Promise.all([
      this.waiter.waitFor(SHOWS_PROJECTION, done.position, READ_YOUR_WRITES_MS),
      this.waiter.waitFor(SEAT_MAP_PROJECTION, done.position, READ_YOUR_WRITES_MS),
    ]);
    return { showId };
  }
}
