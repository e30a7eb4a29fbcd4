import { expect } from 'chai';
import type { Knex } from 'knex';
import { TOKENS } from '../../../src/application/tokens.js';
import { MembersServer, MODES, uniqueEmail } from './members-server.js';

const RACERS = 50;

for (const { mode, title } of MODES) {
  describe(`sign-up race (${title})`, function () {
    let server: MembersServer;

    before(async function () {
      server = await MembersServer.start(this, mode);
    });

    after(async () => {
      await server?.close();
    });

    it(`when ${RACERS} sign-ups for one address race over HTTP, then exactly one member exists`, async () => {
      const email = uniqueEmail();
      const replies = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          server.signUp({ email: i % 2 ? email : email.toUpperCase(), password: `password number ${i}`, name: `Racer ${i}` }),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 201)).to.have.length(1);
      expect(statuses.filter((status) => status === 409)).to.have.length(RACERS - 1);
      expect(replies.filter((reply) => reply.status === 409).every((reply) => reply.body.code === 'MEMBER.EMAIL_TAKEN')).to.equal(true);

      const winner = replies.find((reply) => reply.status === 201)!.body.id as string;
      const knex = server.running.container.resolve<Knex>(TOKENS.Knex);
      const signUps = await knex('events').where({ type: 'MemberSignedUp' }).select('stream_id');
      expect(signUps.filter((row) => row.stream_id === `member-${winner}`)).to.have.length(1);
      const rows = await knex('members_accounts').where({ email }).select('member_id');
      expect(rows).to.deep.equal([{ member_id: winner }]);
      const claims = await knex('claims').where({ scope: 'member-email', owner_stream_id: `member-${winner}` });
      expect(claims).to.have.length(1);
      // The losers' keys were destroyed: one key per member who exists.
      const members = await knex('members_accounts').count({ n: '*' });
      const keys = await knex('member_keys').count({ n: '*' });
      expect(Number(keys[0]!.n)).to.equal(Number(members[0]!.n));
    });
  });
}
