import { expect } from 'chai';
import { inventoryStreamId } from '../../../src/domain/booking/booking.events.js';
import { JsonClient, type JsonReply } from '../../support/server-process.js';
import { BookingProcesses } from './booking-processes.js';

const REQUESTS = 2000;
const MEMBERS = 1000;
/** 1,000 seats: four sections of 10 rows of 25, an aisle after seat 12, the dearest at the front. */
const HALL = {
  sections: ['A', 'B', 'C', 'D'].map((id, i) => ({
    id,
    name: `Section ${id}`,
    rows: 10,
    seatsPerRow: 25,
    price: 8000 - 1000 * i,
    aisles: [12],
  })),
};

describe('best available under a stampede (two server processes, MariaDB + Redis)', function () {
  this.timeout(240_000);
  let processes: BookingProcesses;
  const client = new JsonClient(REQUESTS / 2);

  before(async function () {
    processes = await BookingProcesses.start(this, { store: 'mysql', processes: [{}, {}], members: MEMBERS, holdTtlSeconds: 600 });
  });

  after(async () => {
    client.close();
    await processes?.close();
  });

  it('when 2,000 parties ask at once for the best seats of a 1,000-seat hall, then no seat is held twice and each gets seats or a clear sold-out', async () => {
    const showId = await processes.schedule(HALL, 12);
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i): Promise<{ ask: number; reply: JsonReply }> => {
        const ask = 1 + (i % 4);
        const member = processes.members[i % MEMBERS]!;
        const body = { quantity: ask, together: 'preferred' };
        return client
          .request(processes.servers[i % 2]!.port, 'POST', `/api/shows/${showId}/holds`, { token: member.accessToken, body })
          .then((reply) => ({ ask, reply }));
      }),
    );
    const held = answers.filter(({ reply }) => reply.status === 201);
    const refused = answers.filter(({ reply }) => reply.status !== 201);
    const unexpected = refused.filter(({ reply }) => reply.status !== 409 || reply.body.code !== 'BOOKING.SEATS_UNAVAILABLE');
    expect(unexpected.map(({ reply }) => `${reply.status} ${JSON.stringify(reply.body)}`).slice(0, 5)).to.deep.equal([]);
    for (const { ask, reply } of refused) expect(reply.body.available, 'a sold-out answer says how many are left').to.be.below(ask);

    const seats = held.flatMap(({ reply }) => reply.body.seats as string[]);
    expect(new Set(seats).size, 'no seat in two answers').to.equal(seats.length);
    expect(held.every(({ ask, reply }) => reply.body.seats.length === ask)).to.equal(true);
    expect(seats.length)
      .to.be.at.most(1000)
      .and.at.least(1000 - 3); // the last seats go unless only smaller parties are left
    const together = held.filter(({ reply }) => reply.body.together).length;
    expect(together / held.length, 'parties seated side by side').to.be.above(0.9);

    const recorded: string[] = [];
    for (const section of HALL.sections) {
      for (const event of await processes.store.readStream(inventoryStreamId(showId, section.id))) {
        if (event.type === 'SeatsHeld') recorded.push(...(event.data as { seats: string[] }).seats);
      }
    }
    expect(recorded.sort(), 'the event store holds exactly the seats answered').to.deep.equal([...seats].sort());
  });
});
