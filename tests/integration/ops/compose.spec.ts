import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { requireTool } from '../../support/require-tool.js';
import { tempDataDir } from '../../support/temp-dir.js';

const root = path.resolve(import.meta.dirname, '../../..');
const example = path.join(root, 'ops/compose/env.example');
// only PATH and HOME: a developer's own ONSALE_* or secrets must not change what is checked
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

function compose(envFile: string, ...args: string[]) {
  return spawnSync('docker-compose', ['--project-directory', root, '-f', path.join(root, 'compose.yaml'), '--env-file', envFile, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
}

describe('compose.yaml (docker-compose config: parsed and interpolated, no engine needed)', function () {
  this.timeout(60_000);
  const dir = tempDataDir();

  before(function () {
    requireTool(this, 'docker-compose', "Debian's docker-compose package; .ci/run installs it");
  });
  after(() => dir.remove());

  it('when configured with the example env file, then onsale runs replicated behind Nginx with MariaDB and Redis, each health-checked', () => {
    const result = compose(example, 'config');
    expect(result.status, result.stderr).to.equal(0);
    const config = result.stdout;
    // docker-compose 1.x lists every service; the optional ones are kept apart by their profiles
    expect(compose(example, 'config', '--services').stdout.trim().split('\n')).to.include.members(['onsale', 'mariadb', 'redis', 'nginx']);
    const service = (name: string) => {
      const start = config.indexOf(`\n  ${name}:\n`);
      const next = config.slice(start + 3).search(/\n {2}\S/);
      return config.slice(start, next < 0 ? undefined : start + 3 + next);
    };
    for (const name of ['onsale', 'mariadb', 'redis']) expect(service(name), name).to.contain('healthcheck:');
    expect(service('onsale')).to.match(/replicas: 3/);
    expect(service('onsale')).to.contain('/health/ready');
    expect(service('onsale')).to.match(/condition: service_healthy/);
    expect(service('onsale')).to.contain('MYSQL_URL: mysql://onsale@mariadb:3306/onsale');
    expect(service('nginx')).to.contain('target: nginx');
    expect(config).to.match(/^volumes:\n(?: {2}\S+: \{\}\n| {2}\S+:\n)*/m);
    for (const volume of ['onsale-data', 'mariadb-data', 'redis-data']) expect(config).to.match(new RegExp(`^  ${volume}:`, 'm'));
  });

  it('when a secret is missing from the env file, then compose refuses and names it', () => {
    const partial = path.join(dir.dir, 'partial.env');
    writeFileSync(
      partial,
      readFileSync(example, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('JWT_SECRET='))
        .join('\n'),
    );
    const result = compose(partial, 'config');
    expect(result.status).not.to.equal(0);
    expect(result.stderr).to.contain('set JWT_SECRET in .env');
  });

  it('when the optional services are listed, then the Galera cluster, its writer proxy, Prometheus and Grafana sit behind profiles', () => {
    const result = compose(example, 'config');
    expect(result.status, result.stderr).to.equal(0);
    const profileOf = (name: string) => new RegExp(`\\n  ${name}:\\n(?: {4}.*\\n)*? {4}profiles:\\n {4}- (\\w+)`).exec(result.stdout)?.[1];
    expect(['galera-1', 'galera-2', 'galera-3', 'galera-proxy'].map(profileOf)).to.deep.equal(['galera', 'galera', 'galera', 'galera']);
    expect(['prometheus', 'grafana'].map(profileOf)).to.deep.equal(['monitoring', 'monitoring']);
    expect(['onsale', 'mariadb', 'redis', 'nginx'].map(profileOf)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('when the image is described, then it builds with dev dependencies and runs as non-root on Node 24 slim with a health check', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^ARG NODE_IMAGE=node:24-slim$/m);
    expect(dockerfile).to.match(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).to.match(/^FROM \$\{NODE_IMAGE\} AS run$/m);
    expect(dockerfile).to.match(/^USER node$/m);
    expect(dockerfile).to.match(/^HEALTHCHECK .*\n.*\/health\/ready/m);
    expect(dockerfile).to.match(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    // the steps image-steps.spec.ts performs without Docker
    expect(dockerfile).to.contain('npm pack --ignore-scripts');
    expect(dockerfile).to.contain('npm ci --omit=dev --ignore-scripts');
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).to.include.members(['node_modules', 'dist', '.git', '.env']);
    execFileSync('bash', ['-n', path.join(root, 'ops/nginx/run.sh')]);
  });
});
