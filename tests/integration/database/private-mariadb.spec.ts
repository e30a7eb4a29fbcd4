import { expect } from 'chai';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';

describe('a private MariaDB for fault tests', function () {
  this.timeout(60_000);
  let server: PrivateMariadb;

  before(async function () {
    server = await startPrivateMariadb(this, { options: { 'max-connections': 20 } });
  });
  after(async () => server?.remove());

  it('when started with options, then it runs them on its own port', async () => {
    const rows = (await server.sql('SELECT @@port AS port, @@max_connections AS max')) as [Array<{ port: number; max: number }>];
    expect(rows[0][0]).to.deep.equal({ port: server.port, max: 20 });
  });

  it('when killed and started again, then committed data is still there', async () => {
    await server.sql('CREATE DATABASE survives');
    await server.sql('CREATE TABLE survives.t (id INT PRIMARY KEY)');
    await server.sql('INSERT INTO survives.t VALUES (7)');
    await server.kill();
    await server.start();
    const rows = (await server.sql('SELECT id FROM survives.t')) as [Array<{ id: number }>];
    expect(rows[0].map((row) => row.id)).to.deep.equal([7]);
  });
});
