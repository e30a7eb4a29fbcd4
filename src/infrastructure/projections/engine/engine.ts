import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventStore } from '../../../application/ports/event-store.js';
import type { Logger } from '../../logging/logger.js';
import { FailureStore } from './failures.js';
import { HomePresence } from './home-presence.js';
import { LeaseStore } from './lease.js';
import { slowestProjection, type ProjectionLag } from './lag.js';
import { exposeProjectionLag } from './metrics.js';
import type { ProjectionRegistry } from './registry.js';
import { PROJECTION_BATCH_EVENTS } from './batch-events.js';
import { ProjectionRunner, type RunnerOptions } from './runner.js';
import { projectionStatuses, type ProjectionStatus } from './status.js';
import type { CheckpointWaiter } from './waiter.js';

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  batchSize: PROJECTION_BATCH_EVENTS,
  leaseMs: 5000,
  renewMs: 1500,
  idleWaitMs: 5000,
  maxBackoffMs: 5000,
  lingerMs: 25,
  skipCommitMs: 1000,
};

export interface EngineDeps {
  knex: Knex;
  eventStore: EventStore;
  logger: Logger;
  registry: ProjectionRegistry;
  waiter: CheckpointWaiter;
  options?: Partial<RunnerOptions>;
  /** Identity in lease rows; host, pid and a random part by default. */
  owner?: string;
  /**
   * This process's place among the workers of its host (ONSALE_WORKER_SLOT of ONSALE_WORKER_SLOTS):
   * projection i is at home in slot i mod slots, and runs elsewhere only while its home is down
   * (HomePresence), so that the read models' work spreads over the workers.
   */
  home?: { slot: number; slots: number };
}

/** Identifies this process in lease rows. */
export function processOwner(role = 'server'): string {
  return `${role}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** One runner per registered projection, started and stopped with the server. */
export class ProjectionEngine {
  readonly name = 'projections';
  readonly owner: string;
  private runners: ProjectionRunner[] = [];
  private presence?: HomePresence;
  private unexpose?: () => void;

  constructor(private readonly deps: EngineDeps) {
    this.owner = deps.owner ?? processOwner();
  }

  async start(): Promise<void> {
    const { knex, eventStore, logger, waiter, home } = this.deps;
    const leases = new LeaseStore(knex);
    const options = { ...DEFAULT_RUNNER_OPTIONS, ...this.deps.options };
    if (home && home.slots > 1) {
      const onError = (error: unknown) => logger.warn({ err: error }, 'projections: could not renew or read the workers present');
      this.presence = new HomePresence(leases, this.owner, home, options, onError);
      await this.presence.start();
    }
    const runnerDeps = {
      knex,
      eventStore,
      logger,
      leases,
      failures: new FailureStore(knex),
      owner: this.owner,
      options,
      onCommit: (projection: string, position: number) => waiter.notify(projection, position),
    };
    const presence = this.presence;
    this.runners = this.deps.registry
      .list()
      .map(
        (projection, i) => new ProjectionRunner(projection, { ...runnerDeps, awayFromHome: presence && (() => presence.awayFromHome(i)) }),
      );
    await Promise.all(this.runners.map((runner) => runner.start()));
    this.unexpose = exposeProjectionLag(() => this.status());
  }

  async stop(): Promise<void> {
    this.unexpose?.();
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners = [];
    await this.presence?.stop();
    this.presence = undefined;
    this.deps.waiter.close();
  }

  /** Names of the projections this process is running now (holding their lease). */
  active(): string[] {
    return this.runners.filter((runner) => runner.isHolding).map((runner) => runner.projection.name);
  }

  status(): Promise<ProjectionStatus[]> {
    const { knex, eventStore, registry } = this.deps;
    return projectionStatuses({ knex, eventStore, leases: new LeaseStore(knex), failures: new FailureStore(knex) }, registry.list());
  }

  /** The slowest projection's lag (the live dashboard's figure). */
  lag(): Promise<ProjectionLag> {
    const { knex, eventStore, registry } = this.deps;
    return slowestProjection(knex, eventStore, registry.list());
  }
}
