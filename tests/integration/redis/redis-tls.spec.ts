import { Writable } from 'node:stream';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/infrastructure/config/config.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { makeTestCertificates, type ServerCertificate, type TestCertificates } from '../../support/test-certificates.js';
import { tempDataDir } from '../../support/temp-dir.js';

const PASSWORD = 'tls r3dis p@ss:/%#';

describe('TLS to Redis (a private redis-server with --tls-port and an ACL user)', function () {
  this.timeout(60_000);
  let certificates: TestCertificates;
  let certificate: ServerCertificate;
  let redis: PrivateRedis;

  before(async function () {
    certificates = makeTestCertificates();
    certificate = certificates.server('redis', ['127.0.0.1', 'localhost']);
    redis = await startPrivateRedis(this, undefined, { tls: certificate, users: { onsale: PASSWORD } });
  });

  after(async () => {
    await redis?.stop();
    certificates?.remove();
  });

  /** Starts onsale (embedded SQL) on this Redis; returns whether it is ready, and its log. */
  async function readiness(env: Record<string, string>): Promise<{ status: number; log: string }> {
    let log = '';
    const capture = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    });
    const data = tempDataDir();
    const config = loadConfig({ DATA_DIR: data.dir, PORT: '0', HOST: '127.0.0.1', REDIS_PASSWORD: PASSWORD, ...env });
    const server = await startServer(config, createLogger('warn', capture));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
      return { status: ready.status, log };
    } finally {
      await server.close();
      data.remove();
    }
  }

  it('when REDIS_TLS_CA signed the server certificate, then onsale is ready over rediss:// as the ACL user', async () => {
    const { status, log } = await readiness({
      REDIS_URL: redis.url.replace('rediss://', 'rediss://onsale@'),
      REDIS_TLS_CA: certificate.ca,
    });
    expect(status, log).to.equal(200);
  });

  it('when the server certificate is signed by another CA, then the connection is refused and the log says why', async () => {
    const { status, log } = await readiness({
      REDIS_URL: redis.url.replace('rediss://', 'rediss://onsale@'),
      REDIS_TLS_CA: certificates.otherCa(),
    });
    expect(status).to.equal(503);
    expect(log)
      .to.match(/redis error/)
      .and.match(/self-signed certificate in certificate chain/);
  });

  it('when the host name is not in the certificate, then the connection is refused', async function () {
    const elsewhere = certificates.server('redis-elsewhere', ['elsewhere.test']);
    const other = await startPrivateRedis(this, undefined, { tls: elsewhere, users: { onsale: PASSWORD } });
    try {
      const { status, log } = await readiness({
        REDIS_URL: other.url.replace('rediss://', 'rediss://onsale@'),
        REDIS_TLS_CA: elsewhere.ca,
      });
      expect(status).to.equal(503);
      expect(log).to.match(/IP: 127\.0\.0\.1 is not in the cert's list/);
    } finally {
      await other.stop();
    }
  });

  it('when the URL is redis:// on the TLS port, then it is not ready; REDIS_TLS_CA without rediss:// is a configuration error', async () => {
    expect((await readiness({ REDIS_URL: redis.url.replace('rediss://', 'redis://onsale@') })).status).to.equal(503);
    expect(() => loadConfig({ REDIS_URL: redis.url.replace('rediss://', 'redis://'), REDIS_TLS_CA: certificate.ca })).to.throw(
      ConfigError,
      'REDIS_TLS_CA: set, but REDIS_URL does not start with rediss://',
    );
  });
});
