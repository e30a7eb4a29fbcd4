import { expect } from 'chai';
import { workerExecArgv } from '../../../../src/infrastructure/cluster/worker-exec-argv.js';

describe("worker-exec-argv: the Node options of each forked process's role", () => {
  const primary = ['--import', 'tsx', '--enable-source-maps'];

  it('when a process serves bookings, then it gets the larger young generation after the primary’s own options', () => {
    expect(workerExecArgv('web', primary, 128)).to.deep.equal([...primary, '--max-semi-space-size=128']);
    expect(workerExecArgv('all', primary, 96)).to.deep.equal([...primary, '--max-semi-space-size=96']);
  });

  it('when a process holds the waiting room or the background work, then it keeps V8’s young generation', () => {
    expect(workerExecArgv('waiting-room', primary, 128)).to.deep.equal(primary);
    expect(workerExecArgv('background', primary, 128)).to.deep.equal(primary);
  });

  it('when the setting is 0, then every process keeps V8’s own', () => {
    expect(workerExecArgv('web', primary, 0)).to.deep.equal(primary);
  });

  it('when the operator gave a semi-space size (options or NODE_OPTIONS), then theirs is kept and ours not added', () => {
    expect(workerExecArgv('web', [...primary, '--max-semi-space-size=32'], 128)).to.deep.equal([...primary, '--max-semi-space-size=32']);
    expect(workerExecArgv('web', ['--max-semi-space-size', '32'], 128)).to.deep.equal(['--max-semi-space-size', '32']);
    expect(workerExecArgv('all', primary, 128, '--max-old-space-size=4096 --max-semi-space-size=64')).to.deep.equal(primary);
    // an option that only starts alike is not one
    expect(workerExecArgv('all', primary, 128, '--max-semi-space-size-x=1')).to.deep.equal([...primary, '--max-semi-space-size=128']);
  });

  it('when the primary’s options are given, then they are not changed', () => {
    const own = [...primary];
    workerExecArgv('web', own, 128);
    expect(own).to.deep.equal(primary);
  });
});
