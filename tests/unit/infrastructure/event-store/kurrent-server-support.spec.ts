import { expect } from 'chai';
import { multiStreamRefusal, parseServerVersion } from '../../../../src/infrastructure/event-store/kurrent/kurrent-server-support.js';

const NEEDS = 'onsale needs 25.1 or later for atomic multi-stream appends';

describe('KurrentDB adapter: does the server append to several streams atomically', () => {
  it('when the server offers the append session, then onsale uses it whatever its version says', () => {
    expect(multiStreamRefusal('kurrentdb://db1:2113', '25.1.0.2191', true)).to.equal(undefined);
    expect(multiStreamRefusal('kurrentdb://db1:2113', '26.0.0', true)).to.equal(undefined);
    // a build whose version string says less than it serves
    expect(multiStreamRefusal('kurrentdb://db1:2113', '0.0.0.0', true)).to.equal(undefined);
  });

  it('when an older server lacks it, then start-up is refused with one line naming server and version, without the password', () => {
    const refusal = multiStreamRefusal('kurrentdb://admin:changeit@db1:2113?tls=false', '24.10.6', false);
    expect(refusal).to.equal(`KurrentDB at kurrentdb://admin:***@db1:2113?tls=false is version 24.10.6: ${NEEDS}`);
    expect(multiStreamRefusal('esdb://db1:2113', '25.0.1', false)).to.equal(`KurrentDB at esdb://db1:2113 is version 25.0.1: ${NEEDS}`);
  });

  it('when the server does not report its version, then the refusal says so', () => {
    expect(multiStreamRefusal('esdb://db1:2113', 'unknown', false)).to.equal(
      `KurrentDB at esdb://db1:2113 does not report its version (older than 21.10): ${NEEDS}`,
    );
  });

  it('when a 25.1 or later server does not list the append session, then the refusal names the missing call', () => {
    expect(multiStreamRefusal('kurrentdb://db1:2113', '25.1.0', false)).to.equal(
      `KurrentDB at kurrentdb://db1:2113 is version 25.1.0 but does not offer StreamsService.AppendSession: ${NEEDS}`,
    );
  });

  it('when versions are read, then major and minor come from the start of the string', () => {
    expect(parseServerVersion('25.1.0.2191-hash')).to.deep.equal({ major: 25, minor: 1 });
    expect(parseServerVersion('unknown')).to.equal(undefined);
    expect(parseServerVersion('')).to.equal(undefined);
  });
});
