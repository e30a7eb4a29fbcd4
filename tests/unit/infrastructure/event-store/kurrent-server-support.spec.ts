import { expect } from 'chai';
import {
  multiStreamRefusal,
  parseServerVersion,
  probeOutcome,
  versionHasMultiStreamAppend,
} from '../../../../src/infrastructure/event-store/kurrent/kurrent-server-support.js';

describe('KurrentDB adapter: does the server append to several streams atomically', () => {
  it('when the server reports its version, then 25.1 and later qualify and earlier ones do not', () => {
    expect(parseServerVersion('25.1.0.2191-hash')).to.deep.equal({ major: 25, minor: 1 });
    expect(versionHasMultiStreamAppend('25.1.0.2191')).to.equal(true);
    expect(versionHasMultiStreamAppend('25.2.1')).to.equal(true);
    expect(versionHasMultiStreamAppend('26.0.0')).to.equal(true);
    expect(versionHasMultiStreamAppend('25.0.1')).to.equal(false);
    expect(versionHasMultiStreamAppend('24.10.6')).to.equal(false);
    expect(versionHasMultiStreamAppend('23.10.0.0')).to.equal(false);
  });

  it('when the server does not say its version, then the version alone decides nothing', () => {
    expect(versionHasMultiStreamAppend('unknown')).to.equal(undefined);
    expect(versionHasMultiStreamAppend('')).to.equal(undefined);
  });

  it('when an older server does not implement the append session, then start-up is refused with one line naming server and version', () => {
    const refusal = multiStreamRefusal('kurrentdb://admin:changeit@db1:2113?tls=false', '24.10.6', 'unimplemented');
    expect(refusal).to.equal(
      'KurrentDB at kurrentdb://admin:***@db1:2113?tls=false is version 24.10.6: onsale needs 25.1 or later for atomic multi-stream appends',
    );
    expect(refusal).not.to.include('changeit');
    expect(multiStreamRefusal('esdb://db1:2113', 'unknown', 'unimplemented')).to.equal(
      'KurrentDB at esdb://db1:2113 does not report its version (older than 21.10): onsale needs 25.1 or later for atomic multi-stream appends',
    );
  });

  it('when the version qualifies or the server answers the append session, then onsale uses it', () => {
    expect(multiStreamRefusal('kurrentdb://db1:2113', '25.1.0', undefined)).to.equal(undefined);
    // a build whose version string says less than it serves
    expect(multiStreamRefusal('kurrentdb://db1:2113', '0.0.0.0', 'implemented')).to.equal(undefined);
  });

  it('when an empty append session fails, then only UNIMPLEMENTED and FAILED_PRECONDITION answer the question', () => {
    expect(probeOutcome({ code: 12 })).to.equal('unimplemented');
    expect(probeOutcome({ code: 9 })).to.equal('implemented');
    // not reachable, access denied, …: not an answer about support (the caller rethrows)
    expect(probeOutcome({ code: 14 })).to.equal(undefined);
    expect(probeOutcome({ code: 16 })).to.equal(undefined);
    expect(probeOutcome(new Error('boom'))).to.equal(undefined);
  });
});
