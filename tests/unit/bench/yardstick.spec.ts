import { expect } from 'chai';
import { formatYardstick, type Yardstick } from '../../../bench/load/yardstick.js';

const yardstick: Yardstick = {
  workers: 2,
  connections: 256,
  seconds: 5,
  tool: 'wrk -t1',
  koaRequestsPerSecond: 40_000,
  koaCpuMicrosPerRequest: 25,
  insertConnections: 32,
  insertsPerSecond: 10_000,
};

describe('load yardstick', () => {
  it('when rows are given, then each is a share of the bare Koa route and the bare INSERTs of the same run', () => {
    const text = formatYardstick(yardstick, [
      { name: '(2) the same through Nginx', bookingsPerSecond: 2000, serverCpuMicrosPerBooking: 500 },
    ]);
    const [line, , header, , row] = text.split('\n');
    expect(line).to.include('40000 requests a second').and.include('25.0 µs of CPU a request').and.include('committed 10000 a second');
    expect(header).to.include('in bare Koa requests');
    expect(row!.split('|').map((cell) => cell.trim())).to.deep.equal([
      '',
      '(2) the same through Nginx',
      '2000.0',
      '0.0500',
      '500',
      '20.0',
      '0.200',
      '',
    ]);
  });
});
