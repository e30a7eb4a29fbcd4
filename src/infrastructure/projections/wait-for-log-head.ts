import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../application/ports/event-store.js';
import type { ProjectionWaiter } from '../../application/ports/projection-waiter.js';
import { TOKENS } from '../../application/tokens.js';

/**
 * Waits until `projection` has applied the log as it stands now (its head read first): what a
 * command line or a start-up step does before it reads a read model that earlier writes, by it or
 * by a server, must be in. False after `ms` (a read model behind: the caller says so, or goes on).
 */
export async function waitForLogHead(container: DependencyContainer, projection: string, ms: number): Promise<boolean> {
  const head = await container.resolve<EventStore>(TOKENS.EventStore).headPosition();
  return container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter).waitFor(projection, head, ms);
}
