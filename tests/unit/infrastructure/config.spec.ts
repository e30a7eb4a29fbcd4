import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/infrastructure/config/config.js';

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

  it('when a value is blank, then its default applies', () => {
    expect(loadConfig({ PORT: '  ' }).PORT).to.equal(3000);
  });
});
