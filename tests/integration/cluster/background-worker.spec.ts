import { expect } from 'chai';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { listeners, ownPorts, projectionLeaseOwners, serverChildren, startMain, type MainProcess } from './main-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BACKGROUND_WORKER: the projections and the mail sender in a process of their own (MariaDB + Redis)', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let main: MainProcess | undefined;

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_background');
  });
  afterEach(() => main?.kill());
  after(async () => database?.drop());

  it("when it is on, then every projection lease is the third process's, and the two workers serve what it projects", async () => {
    const { base, booking, env } = await ownPorts(2);
    main = await startMain({ MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, WORKERS: '2', BACKGROUND_WORKER: 'true', ...env });
    const workers = () => serverChildren(main!.pid);
    const children = workers();
    expect(children).to.have.length(3);
    const web = [...listeners(base), ...listeners(base + 1)];
    expect(web).to.have.length(2);
    const background = children.filter((pid) => !web.includes(pid));
    expect(background).to.have.length(1);
    // each web worker alone on its booking door too (slot order), the background process on none
    expect([...listeners(booking), ...listeners(booking + 1)]).to.deep.equal(web);

    const owners = await projectionLeaseOwners(database.url);
    expect(owners.length).to.be.at.least(9);
    expect(
      owners.every((owner) => owner.includes(`:${background[0]}:`)),
      owners.join(', '),
    ).to.equal(true);

    // a sign-up at one worker waits for the members read model, which the background process writes; the log-in at the other reads it
    const email = `background-${Date.now()}@onsale.test`;
    const signUp = await fetch(`http://127.0.0.1:${base}/api/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: 'Background', password: 'correct horse battery staple' }),
    });
    expect(signUp.status).to.equal(201);
    const logIn = await fetch(`http://127.0.0.1:${base + 1}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery staple' }),
    });
    expect(logIn.status).to.equal(200);

    // killed, it comes back as the background process again
    process.kill(background[0]!, 'SIGKILL');
    let again: number[] = [];
    for (let attempt = 0; attempt < 50 && again.length === 0; attempt++) {
      await sleep(200);
      again = workers().filter((pid) => !web.includes(pid) && pid !== background[0]);
    }
    expect(again).to.have.length(1);
    main.signal('SIGTERM');
    expect(await main.exited).to.equal(0);
  });
});
