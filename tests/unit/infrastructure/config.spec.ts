import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/infrastructure/config/config.js';
import { mysqlConnectionOptions } from '../../../src/infrastructure/database/mysql-connection.js';
import { parseClusterNodes } from '../../../src/infrastructure/redis/cluster-nodes.js';

function secretFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'onsale-secret-')), 'secret');
  writeFileSync(file, content);
  return file;
}

describe('configuration', () => {
  it('when nothing is set, then it runs embedded on port 3000 with ./data', () => {
    const config = loadConfig({});
    expect(config.PORT).to.equal(3000);
    expect(config.DATA_DIR).to.equal('./data');
    expect(config.database).to.equal('sqlite');
  });

  it('when MYSQL_POOL_SIZE is unset or set, then the pool has that many connections', () => {
    expect(loadConfig({}).MYSQL_POOL_SIZE).to.equal(32);
    expect(loadConfig({ MYSQL_POOL_SIZE: '64' }).MYSQL_POOL_SIZE).to.equal(64);
    expect(() => loadConfig({ MYSQL_POOL_SIZE: '1' })).to.throw(/MYSQL_POOL_SIZE/);
  });

  it('when IDEMPOTENCY_RETENTION_HOURS is unset or set, then answers are kept that long', () => {
    expect(loadConfig({}).IDEMPOTENCY_RETENTION_HOURS).to.equal(24);
    expect(loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '72' }).IDEMPOTENCY_RETENTION_HOURS).to.equal(72);
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '0' })).to.throw(/IDEMPOTENCY_RETENTION_HOURS/);
  });

  it('when PROJECTION_BATCH_EVENTS or EVENT_CACHE_POSITIONS is unset or set, then projection batches and the read ring are that large', () => {
    expect(loadConfig({})).to.include({ PROJECTION_BATCH_EVENTS: 2000, EVENT_CACHE_POSITIONS: 32_768 });
    expect(loadConfig({ PROJECTION_BATCH_EVENTS: '500', EVENT_CACHE_POSITIONS: '8192' })).to.include({
      PROJECTION_BATCH_EVENTS: 500,
      EVENT_CACHE_POSITIONS: 8192,
    });
    expect(() => loadConfig({ PROJECTION_BATCH_EVENTS: '0' })).to.throw(/PROJECTION_BATCH_EVENTS/);
    expect(() => loadConfig({ EVENT_CACHE_POSITIONS: '10' })).to.throw(/EVENT_CACHE_POSITIONS/);
  });

  it('when MYSQL_URL is set, then the database is MySQL', () => {
    expect(loadConfig({ MYSQL_URL: 'mysql://root@127.0.0.1:3306/onsale' }).database).to.equal('mysql');
  });

  it('when several values are bad, then one error names each of them', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', MYSQL_URL: 'postgres://x', REDIS_URL: 'nope' });
    expect(attempt)
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/PORT/)
      .and.matches(/MYSQL_URL/)
      .and.matches(/REDIS_URL/);
  });

  it('when ADMIN_EMAIL or ADMIN_PASSWORD comes alone, then the other is named as missing', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'ops@example.org' })).to.throw(/ADMIN_PASSWORD: required with ADMIN_EMAIL/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'long enough password' })).to.throw(/ADMIN_EMAIL: required/);
    const config = loadConfig({ ADMIN_EMAIL: ' Ops@Example.org ', ADMIN_PASSWORD_FILE: secretFile('long enough password\n') });
    expect(config).to.include({ ADMIN_EMAIL: 'ops@example.org', ADMIN_PASSWORD: 'long enough password' });
  });

  it('when a value is blank, then its default applies', () => {
    expect(loadConfig({ PORT: '  ' }).PORT).to.equal(3000);
  });

  it('when secrets come from *_FILE variables, then their content is used without the final line end', () => {
    const config = loadConfig({
      MYSQL_URL: 'mysql://onsale@db:3306/onsale',
      MYSQL_PASSWORD_FILE: secretFile('p@ss:/%#word\n'),
      REDIS_URL: 'redis://app@cache:6379',
      REDIS_PASSWORD_FILE: secretFile('r3dis pw'),
      JWT_SECRET_FILE: secretFile(`${'j'.repeat(40)}\n`),
      ADMISSION_KEYS_FILE: secretFile('k1:0123456789abcdef0123'),
    });
    expect(mysqlConnectionOptions(config.MYSQL_URL!)).to.include({ user: 'onsale', password: 'p@ss:/%#word', database: 'onsale' });
    expect(new URL(config.REDIS_URL!)).to.include({ username: 'app', password: 'r3dis%20pw' });
    expect(config.JWT_SECRET).to.equal('j'.repeat(40));
    expect(config.ADMISSION_KEYS).to.equal('k1:0123456789abcdef0123');
    expect(loadConfig({ MYSQL_URL_FILE: secretFile('mysql://root@db/x\n') }).database).to.equal('mysql');
  });

  it('when MYSQL_PASSWORD is set, then it replaces the password of MYSQL_URL', () => {
    const config = loadConfig({ MYSQL_URL: 'mysql://onsale:old@db/onsale', MYSQL_PASSWORD: 'n@w#1' });
    expect(mysqlConnectionOptions(config.MYSQL_URL!).password).to.equal('n@w#1');
  });

  it('when a secret file is missing or a secret is set twice, then the error names the variable and never a secret', () => {
    const attempt = () =>
      loadConfig({ JWT_SECRET: 'x'.repeat(40), JWT_SECRET_FILE: secretFile('y'.repeat(40)), MYSQL_PASSWORD_FILE: '/nowhere/pw' });
    expect(attempt).to.throw(ConfigError, /JWT_SECRET_FILE: set JWT_SECRET or JWT_SECRET_FILE, not both/);
    expect(attempt).to.throw(ConfigError, /MYSQL_PASSWORD_FILE: cannot read \/nowhere\/pw \(ENOENT\)/);
    expect(attempt)
      .to.throw(ConfigError)
      .with.property('message')
      .that.does.not.match(/xxxx|yyyy/);
  });

  it('when MYSQL_URL has a TLS parameter that is wrong, then the configuration says so without the password', () => {
    const attempt = () => loadConfig({ MYSQL_URL: 'mysql://u:hunter2@db/x?ssl-mode=SOMETIMES' });
    expect(attempt).to.throw(ConfigError, /MYSQL_URL: ssl-mode must be one of/);
    expect(attempt).to.throw(ConfigError).with.property('message').that.does.not.include('hunter2');
  });

  it('when REDIS_CLUSTER_NODES is set, then it names the cluster; with REDIS_URL as well, the configuration refuses both', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7000' }).REDIS_CLUSTER_NODES).to.equal(
      '10.0.0.1:7000, 10.0.0.2:7000',
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://r:6379' })).to.throw(ConfigError, /not both/);
  });

  it('when REDIS_CLUSTER_NODES is not host:port, mixes schemes or has TLS CA without rediss, then the error says so without the password', () => {
    const attempt = (env: NodeJS.ProcessEnv) => () => loadConfig(env);
    expect(attempt({ REDIS_CLUSTER_NODES: ' , ' })).to.throw(ConfigError, /REDIS_CLUSTER_NODES: name at least one host:port/);
    expect(attempt({ REDIS_CLUSTER_NODES: 'redis://u:hunter2@a:1/db' }))
      .to.throw(ConfigError, /REDIS_CLUSTER_NODES: .* is not host:port/)
      .with.property('message')
      .that.does.not.include('hunter2');
    expect(attempt({ REDIS_CLUSTER_NODES: 'redis://a:1,rediss://b:1' })).to.throw(ConfigError, /mixes redis:\/\/ and rediss:\/\//);
    expect(attempt({ REDIS_CLUSTER_NODES: 'a:1', REDIS_TLS_CA: '/ca.pem' })).to.throw(
      ConfigError,
      /REDIS_TLS_CA: set, but REDIS_CLUSTER_NODES are not rediss/,
    );
  });

  it('when ONSALE_TEST_DRAW_SEED is set, then tests get it, and under NODE_ENV=production the configuration refuses it', () => {
    expect(loadConfig({ ONSALE_TEST_DRAW_SEED: 'fixed-seed' }).ONSALE_TEST_DRAW_SEED).to.equal('fixed-seed');
    expect(loadConfig({ NODE_ENV: 'production' }).ONSALE_TEST_DRAW_SEED).to.equal(undefined);
    expect(() => loadConfig({ NODE_ENV: 'production', ONSALE_TEST_DRAW_SEED: 'fixed-seed' })).to.throw(
      ConfigError,
      /ONSALE_TEST_DRAW_SEED: refused with NODE_ENV=production/,
    );
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it("when nodes are host:port or URLs, then each is a seed node, with the first URL's user and REDIS_PASSWORD over its password", () => {
    expect(parseClusterNodes('10.0.0.1:7000,10.0.0.2')).to.deep.equal({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseClusterNodes('rediss://app:p%40ss@r1:7000,rediss://r2:7001')).to.deep.equal({
      nodes: [
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseClusterNodes('redis://app:old@r1:7000', 'new').password).to.equal('new');
  });
});
