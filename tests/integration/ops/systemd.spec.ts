import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { requireTool } from '../../support/require-tool.js';
import { tempDataDir } from '../../support/temp-dir.js';

const root = path.resolve(import.meta.dirname, '../../..');
const unitsDir = path.join(root, 'ops/systemd');

describe('ops/systemd units (systemd-analyze verify)', function () {
  this.timeout(30_000);
  const dir = tempDataDir();

  before(function () {
    requireTool(this, 'systemd-analyze', "Debian's systemd package");
    for (const unit of ['onsale.service', 'onsale@.service', 'onsale.target']) {
      let text = readFileSync(path.join(unitsDir, unit), 'utf8');
      // verify checks that ExecStart's program exists: on a machine whose Node is elsewhere, point at it
      if (!existsSync('/usr/bin/node')) text = text.replaceAll('/usr/bin/node', process.execPath);
      writeFileSync(path.join(dir.dir, unit), text);
    }
    // a template is verified through an instance of it
    writeFileSync(path.join(dir.dir, 'onsale@3001.service'), readFileSync(path.join(dir.dir, 'onsale@.service')));
  });
  after(() => dir.remove());

  /** verify answers 0 on warnings (an unknown key, a bad value is ignored): any output fails too. */
  function verify(unit: string) {
    const result = spawnSync('systemd-analyze', ['verify', unit], { cwd: dir.dir, encoding: 'utf8' });
    return { status: result.status, output: (result.stdout + result.stderr).trim() };
  }

  for (const unit of ['onsale.service', 'onsale@3001.service', 'onsale.target']) {
    it(`when ${unit} is verified, then systemd finds nothing wrong or ignored`, () => {
      expect(verify(unit)).to.deep.equal({ status: 0, output: '' });
    });
  }

  it('when a unit has a value systemd would ignore, then the check catches it (verify alone answers 0)', () => {
    writeFileSync(path.join(dir.dir, 'broken.service'), '[Service]\nExecStart=/bin/true\nRestart=sometimes\n');
    expect(verify('broken.service').output).to.contain('restart specifier');
  });

  it('when the server unit is read, then it restarts on failure, limits resources and reads its settings from an EnvironmentFile', () => {
    const unit = readFileSync(path.join(unitsDir, 'onsale.service'), 'utf8');
    for (const line of [
      'Restart=on-failure',
      'EnvironmentFile=/etc/onsale/onsale.env',
      'KillSignal=SIGTERM',
      'User=onsale',
      'LimitNOFILE=65536',
    ]) {
      expect(unit).to.match(new RegExp(`^${line}$`, 'm'));
    }
    expect(unit).to.match(/^MemoryMax=\S+$/m);
  });
});
