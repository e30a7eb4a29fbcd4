import { expect } from 'chai';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { ensureMysqlDatabase, openMysql } from '../../../src/infrastructure/database/knex.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';
import { makeTestCertificates, type ServerCertificate, type TestCertificates } from '../../support/test-certificates.js';
import { tempDataDir } from '../../support/temp-dir.js';

const PASSWORD = 'tls p@ss:/%#word';

describe('TLS to MariaDB (a private server with require_secure_transport=ON)', function () {
  this.timeout(120_000);
  let certificates: TestCertificates;
  let certificate: ServerCertificate;
  let mariadb: PrivateMariadb;
  const url = (host: string, query: string, database = 'onsale_tls') =>
    `mysql://onsale:${encodeURIComponent(PASSWORD)}@${host}:${mariadb.port}/${database}?${query}`;

  before(async function () {
    certificates = makeTestCertificates();
    // named for localhost only: reaching it as 127.0.0.1 is the wrong host name
    certificate = certificates.server('mariadb', ['localhost']);
    mariadb = await startPrivateMariadb(this, {
      options: { 'require-secure-transport': 'ON', 'ssl-ca': certificate.ca, 'ssl-cert': certificate.cert, 'ssl-key': certificate.key },
    });
    await mariadb.sql(`CREATE USER 'onsale'@'%' IDENTIFIED BY ?`, [PASSWORD]);
    await mariadb.sql('GRANT ALL ON `onsale_tls`.* TO ?@?', ['onsale', '%']);
  });

  after(async () => {
    await mariadb?.remove();
    certificates?.remove();
  });

  it('when the certificate verifies against ssl-ca and the host name, then onsale runs on it over TLS', async () => {
    const data = tempDataDir();
    const config = loadConfig({
      MYSQL_URL: url('localhost', `ssl-mode=VERIFY_IDENTITY&ssl-ca=${certificate.ca}`),
      DATA_DIR: data.dir,
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const server = await startServer(config);
    const knex = openMysql(config.MYSQL_URL!, 1);
    try {
      const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
      expect(ready.status).to.equal(200);
      const [rows] = (await knex.raw("SHOW SESSION STATUS LIKE 'Ssl_version'")) as [{ Value: string }[]];
      expect(rows[0]?.Value).to.match(/^TLSv1\.[23]$/);
    } finally {
      await knex.destroy();
      await server.close();
      data.remove();
    }
  });

  it('when ssl-mode is VERIFY_CA, then a host name the certificate does not name is accepted', async () => {
    await ensureMysqlDatabase(url('127.0.0.1', `ssl-mode=VERIFY_CA&ssl-ca=${certificate.ca}`));
  });

  it('when the host name is not in the certificate, then VERIFY_IDENTITY refuses the server with one clear line', async () => {
    const error = await ensureMysqlDatabase(url('127.0.0.1', `ssl-mode=VERIFY_IDENTITY&ssl-ca=${certificate.ca}`)).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(
      /^MYSQL_URL: the server at 127\.0\.0\.1:\d+ did not pass TLS verification \(.*127\.0\.0\.1.*\)/,
    );
    expect((error as Error).message).not.to.include(PASSWORD);
  });

  it('when the certificate is signed by another CA, then the server is refused', async () => {
    const error = await ensureMysqlDatabase(url('localhost', `ssl-mode=VERIFY_IDENTITY&ssl-ca=${certificates.otherCa()}`)).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).to.match(
      /did not pass TLS verification \((self-signed certificate in certificate chain|unable to verify)/,
    );
  });

  it('when TLS is not asked for, then the server refuses the connection', async () => {
    const error = await ensureMysqlDatabase(url('localhost', '').replace(/\?$/, '')).catch((e: Error) => e);
    // MariaDB answers a plain connection under require_secure_transport with "Access denied"
    expect((error as Error).message).to.match(/^Access denied for user 'onsale'/);
  });
});
