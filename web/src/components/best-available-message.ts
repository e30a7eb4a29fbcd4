import { ApiError } from '../api/http.js';
import { problemMessage, t } from '../i18n/index.js';

/** Why best available found nothing, in the buyer's words: nothing left that fits is said as such. */
export function bestAvailableMessage(failure: unknown): string {
  const noneLeft = failure instanceof ApiError && failure.code === 'BOOKING.SEATS_UNAVAILABLE' && failure.problem.available === 0;
  return noneLeft ? t('best.soldOut') : problemMessage(failure);
}
