import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { requireTool } from '../../support/require-tool.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The workflows cannot run here: they are linted, and held to the scripts and files they name. */
describe('.github/workflows (yamllint, and honest to what they call)', function () {
  this.timeout(30_000);

  it('when yamllint reads the workflows, compose.yaml and ops/, then it finds nothing', function () {
    requireTool(this, 'yamllint', "Debian's yamllint package; .ci/run installs it");
    const files = ['.github/workflows', 'compose.yaml', 'ops/prometheus', 'ops/compose', '.yamllint.yml'];
    const result = spawnSync('yamllint', ['-f', 'parsable', '-c', '.yamllint.yml', ...files], { cwd: root, encoding: 'utf8' });
    expect(result.stdout + result.stderr).to.equal('');
    expect(result.status).to.equal(0);
  });

  it('when CI runs, then it runs .ci/run, which exists and is executable, on Debian with the servers .ci/run starts', () => {
    const ci = read('.github/workflows/ci.yml');
    expect(ci).to.match(/^ {8}run: \.ci\/run$/m);
    accessSync(path.join(root, '.ci/run'), constants.X_OK);
    // the Debian of the project's machines, with the servers ensure_services starts and the npm that bootstraps .ci/toolchain
    expect(ci).to.match(/image: debian:bookworm$/m);
    for (const pkg of ['nodejs', 'npm', 'mariadb-server', 'galera-4', 'rsync', 'redis-server'])
      expect(ci).to.match(new RegExp(`\\b${pkg}\\b`));
    expect(read('.ci/run')).to.contain('/usr/sbin/mariadbd');
    expect(read('.ci/run')).to.contain('redis-server --daemonize yes');
  });

  it('when a release is tagged, then the image targets it builds are stages of the Dockerfile', () => {
    const release = read('.github/workflows/release.yml');
    const dockerfile = read('Dockerfile');
    expect(release).to.match(/file: Dockerfile/);
    const targets = [...release.matchAll(/- target: (\S+)/g)].map((m) => m[1]);
    expect(targets).to.deep.equal(['run', 'nginx']);
    for (const target of targets) expect(dockerfile).to.match(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
    // it must not call a deploy script that does not exist
    const steps = release
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    for (const [, script] of steps.matchAll(/(ops\/\S+\.sh)/g)) expect(existsSync(path.join(root, script!)), script).to.equal(true);
  });
});
