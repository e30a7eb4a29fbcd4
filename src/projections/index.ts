import type { Knex } from 'knex';
import type { DependencyContainer } from 'tsyringe';
import type { Projection } from './projection.js';
import { bookingProjections } from './booking.projections.js';
import { checkInsProjection } from './checkins/checkins.projection.js';
import { forgedScansProjection } from './checkins/forged-scans.projection.js';
import type { Clock } from '../application/ports/clock.js';
import { mailOutboxProjection } from './mail/mail-outbox.projection.js';
import { catalogProjections } from './catalog/catalog.projections.js';
import { TOKENS } from '../application/tokens.js';
import type { MemberKeyRing } from './members/member-key-ring.js';
import { membersProjection } from './members/members.projection.js';
import { OfferReturnedSeatsReactor } from '../application/waitlist/offer-returned-seats.reactor.js';
import { waitlistOffersProjection } from './waitlist/waitlist-offers.reactor-projection.js';

/**
 * Every projection of the deployment: the server runs them and the CLI rebuilds them. Add yours
 * with one line; resolve what it needs from `container` (registered by the composition root).
 */
export function allProjections(container: DependencyContainer): Projection[] {
  return [
    membersProjection(container.resolve<MemberKeyRing>(TOKENS.MemberKeyRing)),
    ...catalogProjections(container),
    ...bookingProjections(container),
    checkInsProjection,
    forgedScansProjection,
    mailOutboxProjection(() => container.resolve<Clock>(TOKENS.Clock).now().getTime()),
    waitlistOffersProjection({
      reactor: () => container.resolve(OfferReturnedSeatsReactor),
      knex: () => container.resolve<Knex>(TOKENS.Knex),
      now: () => container.resolve<Clock>(TOKENS.Clock).now().getTime(),
    }),
  ];
}
