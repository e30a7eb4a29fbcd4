import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import type { AdmitLimits } from '../../../src/application/ports/admission-queue.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const T0 = 1_800_000_000_000;
const lease = { leaseMs: 60_000, maxSessionMs: 600_000 };

describe('the Redis admission queue under concurrency', () => {
  let connections: Redis[] = [];
  let prefix: string;
  let show: string;

  beforeEach(async function () {
    await requireService(this, 'redis');
    connections = [0, 1, 2, 3].map(() => new Redis(TEST_REDIS_URL));
    prefix = uniqueName('test:admission');
    show = uniqueName('show');
  });
  afterEach(() => connections.forEach((c) => c.disconnect()));

  const queueOn = (i: number) => new RedisAdmissionQueue(connections[i]!, prefix);

  it('when every key of a show is named, then they share the hash tag {show:<id>} (one Cluster slot)', () => {
    const keys = queueOn(0).keys('42');
    expect(keys).to.have.length(8);
    for (const key of keys) expect(key.match(/\{[^}]*\}/)?.[0]).to.equal('{show:42}');
  });

  it('when three admitters race while members release, then active never exceeds maxActive and nobody is admitted twice', async () => {
    const members = Array.from({ length: 400 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const setup = queueOn(3);
    for (const member of members) await setup.join(show, member, T0, 0, lease);
    const limits: AdmitLimits = { ...lease, admitPerSecond: 500, maxActive: 25 };
    const admitted: string[] = [];
    const seenActive: number[] = [];
    let clock = T0;
    const admitter = async (i: number) => {
      const queue = queueOn(i);
      for (let round = 0; round < 200 && admitted.length < members.length; round++) {
        const tick = await queue.admit(show, (clock += 7), limits);
        seenActive.push(tick.active);
        admitted.push(...tick.admitted.map((a) => a.memberId));
        // release half of those just admitted, so that capacity keeps being contended
        for (const a of tick.admitted.filter((_, k) => k % 2 === 0)) await queue.release(show, a.memberId);
      }
    };
    let watching = true;
    const watcher = (async () => {
      const [, , , , , leases] = setup.keys(show);
      while (watching) seenActive.push(await connections[3]!.zcard(leases!));
    })();
    await Promise.all([admitter(0), admitter(1), admitter(2)]);
    watching = false;
    await watcher;
    expect(Math.max(...seenActive)).to.be.at.most(25);
    expect(Math.max(...seenActive)).to.equal(25);
    expect(new Set(admitted).size).to.equal(admitted.length);
    // in join order: those admitted are exactly the front of the line
    expect([...admitted].sort()).to.deep.equal(members.slice(0, admitted.length));
    expect(admitted.length).to.be.greaterThan(100);
  });

  it('when an admitting process is killed mid-admission, then every member is either waiting or admitted', async function () {
    this.timeout(30_000);
    const members = Array.from({ length: 3000 }, (_, i) => `m${i}`);
    const setup = queueOn(0);
    for (const member of members) await setup.join(show, member, T0, 0, lease);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/integration/admission/fixtures/admitter-child.ts', TEST_REDIS_URL, prefix, show, '1000000'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let reported = 0;
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        reported += chunk
          .toString()
          .split('\n')
          .filter(Boolean)
          .reduce((sum, n) => sum + Number(n), 0);
        if (reported >= 200) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const places = await Promise.all(members.map((member) => setup.status(show, member, T0 + 1, lease)));
    const states = places.map((place) => place.state);
    expect(states.filter((s) => s !== 'waiting' && s !== 'admitted')).to.deep.equal([]);
    const stats = await setup.stats(show);
    const leftWaiting = states.filter((s) => s === 'waiting').length;
    expect(leftWaiting)
      .to.be.greaterThan(0)
      .and.lessThan(members.length - 199);
    expect(stats.admittedTotal + stats.waiting).to.equal(members.length);
    // the ones still waiting are exactly the tail of the line, in order
    const firstWaiting = states.indexOf('waiting');
    expect(states.slice(firstWaiting).every((s) => s === 'waiting')).to.equal(true);
    expect(places[firstWaiting]).to.include({ ahead: 0 });
  });
});
