import { expect } from 'chai';
import { bookingToDashboardMs } from '../../../bench/dashboard/dashboard-viewers.js';

describe('the dashboard bench’s latency: booking → first sample that shows it', () => {
  it('when tickets are confirmed between samples, then each counts from its confirmation to the first sample whose sold count includes it, on every dashboard', () => {
    const confirmedAt = [100, 150, 900, 1200];
    const one = [
      { at: 1000, sold: 2 },
      { at: 2000, sold: 3 },
      { at: 3000, sold: 4 },
    ];
    const other = [{ at: 1100, sold: 4 }];
    expect(bookingToDashboardMs(confirmedAt, [one, other])).to.deep.equal([900, 850, 1100, 1800, 1000, 950, 200, -100]);
  });

  it('when a sample shows more than the load tool has seen confirmed, then only the confirmed ones count', () => {
    expect(bookingToDashboardMs([10], [[{ at: 50, sold: 3 }]])).to.deep.equal([40]);
  });
});
