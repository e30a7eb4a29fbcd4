import { expect } from 'chai';
import { ApiError } from '../../../web/src/api/http.js';
import { bestAvailableMessage } from '../../../web/src/components/best-available-message.js';
import { formatPrice, problemMessage, setLocale } from '../../../web/src/i18n/index.js';

const problem = (status: number, code: string, extra: Record<string, unknown> = {}, retryAfter?: number) =>
  new ApiError(status, code, 'detail', { code, ...extra }, retryAfter);

describe('web: messages for buyers', () => {
  afterEach(() => setLocale('ko'));

  it('when the API names seats that are taken, then the message names them, in Korean first', () => {
    expect(problemMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { seats: ['A-1-1', 'A-1-2'] }))).to.equal(
      '선택한 좌석 중 A-1-1, A-1-2 좌석은 이미 다른 분이 잡았습니다.',
    );
    setLocale('en');
    expect(problemMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { seats: ['A-1-1'] }))).to.equal('Someone else already holds A-1-1.');
  });

  it('when a message needs details the answer lacks, then the next message that fits is used', () => {
    expect(problemMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { requested: 3, available: 1 }))).to.equal('남은 티켓이 1매뿐입니다.');
    expect(problemMessage(problem(409, 'BOOKING.LIMIT_EXCEEDED'))).to.equal('1인당 예매 가능한 매수를 넘었습니다.');
  });

  it('when best available finds no seats together, or a pick would strand a seat, then the message says what is left and what to do', () => {
    expect(problemMessage(problem(409, 'BOOKING.NOT_TOGETHER', { requested: 4, biggestBlock: 2 }))).to.equal(
      '4석이 나란히 남아 있지 않습니다. 나란히 남은 좌석은 최대 2석입니다. 매수를 줄이거나 직접 골라 주세요.',
    );
    expect(problemMessage(problem(409, 'BOOKING.ORPHAN_SEAT', { seat: 'A-1-3', suggestion: ['A-1-3', 'A-1-4'] }))).to.equal(
      '이대로면 A-1-3 좌석 하나만 외따로 남습니다. A-1-3, A-1-4 좌석은 어떠세요?',
    );
    setLocale('en');
    expect(problemMessage(problem(409, 'BOOKING.ORPHAN_SEAT', { seat: 'A-1-3' }))).to.equal(
      'That would leave A-1-3 empty on its own. Please include the seat next to it.',
    );
  });

  it('when best available finds nothing left at all, then it says so; when a few are left, how many', () => {
    expect(bestAvailableMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { requested: 2, available: 0 }))).to.equal(
      '이 조건에 남은 좌석이 없습니다. 다른 구역이나 가격을 골라 보세요.',
    );
    expect(bestAvailableMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { requested: 3, available: 2 }))).to.equal(
      '남은 티켓이 2매뿐입니다.',
    );
    setLocale('en');
    expect(bestAvailableMessage(problem(409, 'BOOKING.SEATS_UNAVAILABLE', { requested: 2, available: 0 }))).to.equal(
      'No seats are left that fit. Try another section or price.',
    );
  });

  it('when the code is unknown, then the status decides, with the wait the server asked for', () => {
    expect(problemMessage(problem(503, 'SOMETHING.NEW', {}, 90))).to.equal(
      '접속자가 많아 잠시 멈췄습니다. 1분 30초 후에 다시 시도해 주세요.',
    );
    expect(problemMessage(problem(502, 'HTTP.502'))).to.equal('일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.');
    expect(problemMessage(new ApiError(0, 'NETWORK', 'down'))).to.contain('서버에 연결할 수 없습니다');
  });

  it('when prices are in minor units, then they are shown in the currency of the show', () => {
    expect(formatPrice(121000, 'KRW')).to.equal('₩121,000');
    setLocale('en');
    expect(formatPrice(4500, 'USD')).to.equal('US$45.00');
  });
});
