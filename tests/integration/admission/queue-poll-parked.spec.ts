import { expect } from 'chai';
import type { QueueWatch } from '../../../src/application/admission/queue-watch.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { parkedPolls } from '../../../src/infrastructure/http/parked-poll.js';
import { uniqueName } from '../../support/services.js';
import { RawConnection } from './raw-connection.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(holds: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!holds() && Date.now() < end) await sleep(10);
  expect(holds(), 'in time').to.equal(true);
}

/** An answer's head as it came: its lines in order, the Date's value and the ETA's bytes left out. */
function headLines(text: string): string[] {
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .split('\r\n')
    .map((line) => (/^(date|content-length):/i.test(line) ? line.slice(0, line.indexOf(':')) : line));
}

describe("a long poll's connection parked off Node's HTTP server (MariaDB + Redis)", () => {
  let server: QueueServer;
  let show: string;
  let token: string;
  const path = () => `/api/shows/${show}/queue`;
  const longPoll = (seconds: number) => ({
    authorization: `Bearer ${token}`,
    prefer: `wait=${seconds}`,
    'x-request-id': 'client-chosen-0042',
  });
  const watch = () => server.container.resolve<QueueWatch>(TOKENS.QueueWatch);

  beforeEach(async function () {
    server = await startQueueServer(this, 'mariadb');
    show = uniqueName('show');
    server.sales.put(show, { queue: { admitPerSecond: 0.001, maxActive: 1 } });
    const [first, member] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: first.token });
    await server.http.request('POST', path(), { token: member.token });
    token = member.token;
  });
  afterEach(async () => server?.close());

  it('when a parked long poll is answered, then its bytes are those Koa writes, head line for head line', async () => {
    const [parked, koa] = await Promise.all([
      RawConnection.open(server.port),
      RawConnection.open(Number(new URL(server.koaOnly.base).port)),
    ]);
    try {
      const before = parkedPolls();
      parked.send('GET', path(), longPoll(1));
      koa.send('GET', path(), longPoll(1));
      await until(() => parkedPolls() === before + 1);
      const [hot, through] = await Promise.all([parked.stream((t) => t.includes('}')), koa.stream((t) => t.includes('}'))]);
      expect(headLines(hot)).to.deep.equal(headLines(through));
      expect(headLines(hot)).to.include.members(['HTTP/1.1 200 OK', 'Connection: keep-alive', 'Preference-Applied: wait=1']);
      expect(JSON.parse(hot.slice(hot.indexOf('\r\n\r\n') + 4)).state).to.equal('waiting');
      expect(parkedPolls()).to.equal(before);
    } finally {
      parked.destroy();
      koa.destroy();
    }
  });

  it('when the answer has gone, then the same connection serves the next requests, long polls parked again', async () => {
    const connection = await RawConnection.open(server.port);
    try {
      const before = parkedPolls();
      for (const round of [1, 2]) {
        connection.send('GET', path(), longPoll(1));
        await until(() => parkedPolls() === before + 1);
        const waited = await connection.reply();
        expect(waited.status, `round ${round}`).to.equal(200);
        expect(waited.headers.get('preference-applied')).to.equal('wait=1');
        expect(waited.headers.get('connection')).to.equal('keep-alive');
        connection.send('GET', path(), { authorization: `Bearer ${token}` });
        const plain = await connection.reply();
        expect(plain.status).to.equal(200);
        expect(JSON.parse(plain.body).state).to.equal('waiting');
      }
      expect(connection.closed).to.equal(false);
    } finally {
      connection.destroy();
    }
  });

  it('when the client sends its next request while the poll is parked, then it is answered after the poll, in order', async () => {
    const connection = await RawConnection.open(server.port);
    try {
      const before = parkedPolls();
      connection.send('GET', path(), longPoll(1));
      await until(() => parkedPolls() === before + 1);
      connection.send('GET', `/api/shows/${uniqueName('nope')}/queue`, { authorization: `Bearer ${token}` });
      const [first, second] = [await connection.reply(), await connection.reply()];
      expect([first.status, second.status]).to.deep.equal([200, 404]);
      expect(first.headers.get('preference-applied')).to.equal('wait=1');
    } finally {
      connection.destroy();
    }
  });

  for (const how of ['closes', 'ends its side of'] as const) {
    it(`when the client ${how} the connection while parked, then the wait ends at once`, async () => {
      const before = { held: watch().holding, parked: parkedPolls() };
      const connection = await RawConnection.open(server.port);
      connection.send('GET', path(), longPoll(30));
      await until(() => parkedPolls() === before.parked + 1 && watch().holding === before.held + 1);
      if (how === 'closes') connection.destroy();
      else connection.socket.end();
      await until(() => watch().holding === before.held && parkedPolls() === before.parked, 2000);
      await connection.whenClosed();
    });
  }

  it('when the server drains, then every parked poll is answered with where it stands', async () => {
    const connections = await Promise.all([1, 2, 3].map(() => RawConnection.open(server.port)));
    try {
      const before = parkedPolls();
      for (const connection of connections) connection.send('GET', path(), longPoll(30));
      await until(() => parkedPolls() === before + 3);
      const started = Date.now();
      watch().drain();
      for (const connection of connections) {
        const reply = await connection.reply(5000);
        expect(reply.status).to.equal(200);
        expect(JSON.parse(reply.body).state).to.equal('waiting');
      }
      expect(Date.now() - started).to.be.below(5000);
    } finally {
      for (const connection of connections) connection.destroy();
    }
  });

  it('when two requests come in one write, then the long poll is not parked and both are answered in order', async () => {
    const connection = await RawConnection.open(server.port);
    try {
      const before = parkedPolls();
      const head = (extra: string) => `GET ${path()} HTTP/1.1\r\nhost: onsale.test\r\nauthorization: Bearer ${token}\r\n${extra}\r\n`;
      connection.socket.write(head('prefer: wait=1\r\n') + head(''));
      const [first, second] = [await connection.reply(), await connection.reply()];
      expect([first.status, second.status]).to.deep.equal([200, 200]);
      expect(first.headers.get('preference-applied')).to.equal('wait=1');
      expect(second.headers.get('preference-applied')).to.equal(undefined);
      expect(parkedPolls()).to.equal(before);
    } finally {
      connection.destroy();
    }
  });
});
