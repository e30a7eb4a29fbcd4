import { expect } from 'chai';
import { planWorkers } from '../../../../src/infrastructure/cluster/worker-count.js';

const shared = { database: 'mysql' as const, REDIS_URL: 'redis://127.0.0.1:6379' };
const embedded = { database: 'sqlite' as const, REDIS_URL: undefined };

describe('planWorkers', () => {
  it('when WORKERS is not set with MySQL and Redis, then one worker per core', () => {
    expect(planWorkers({ ...shared, WORKERS: undefined }, 4)).to.deep.equal({ count: 4, waitingRoom: 0 });
  });

  it('when WORKERS is set with MySQL and Redis, then that many', () => {
    expect(planWorkers({ ...shared, WORKERS: 3 }, 8)).to.deep.equal({ count: 3, waitingRoom: 0 });
  });

  it('when embedded (SQLite, no Redis), then one process and no warning unless WORKERS asked for more', () => {
    expect(planWorkers({ ...embedded, WORKERS: undefined }, 4)).to.deep.equal({ count: 1, waitingRoom: 0, note: undefined });
    const plan = planWorkers({ ...embedded, WORKERS: 4 }, 4);
    expect(plan.count).to.equal(1);
    expect(plan.note).to.match(/WORKERS=4 ignored/);
  });

  it('when MySQL is used without Redis, then one process (the waiting room would live in each worker)', () => {
    expect(planWorkers({ database: 'mysql', REDIS_URL: undefined, WORKERS: 2 }, 2).count).to.equal(1);
  });

  it('when MySQL is used with a Redis Cluster, then one worker per core, as with one Redis', () => {
    expect(
      planWorkers({ database: 'mysql', REDIS_URL: undefined, REDIS_CLUSTER_NODES: '127.0.0.1:7000', WORKERS: undefined }, 4).count,
    ).to.equal(4);
  });

  it('when waiting-room processes are asked for with MySQL and Redis, then that many beside the workers', () => {
    expect(planWorkers({ ...shared, WORKERS: 2, WAITING_ROOM_WORKERS: 3 }, 2)).to.deep.equal({ count: 2, waitingRoom: 3 });
  });

  it('when waiting-room processes are asked for embedded, then none, and the note says so', () => {
    const plan = planWorkers({ ...embedded, WORKERS: undefined, WAITING_ROOM_WORKERS: 2 }, 4);
    expect(plan).to.include({ count: 1, waitingRoom: 0 });
    expect(plan.note).to.match(/^WAITING_ROOM_WORKERS=2 ignored/);
  });
});
