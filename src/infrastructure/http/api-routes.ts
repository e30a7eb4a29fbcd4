import type { DependencyContainer } from 'tsyringe';
import { adminReservationRoutes } from './admin-reservations.routes.js';
import { admissionRoutes } from './admission.routes.js';
import { bookingRoutes } from './booking.routes.js';
import { catalogRoutes } from './catalog.routes.js';
import { memberRoutes } from './members.routes.js';
import type { RouteSpec } from './route.js';
import { liveSaleRoutes } from './live-sale.routes.js';
import { saleRoutes } from './sale.routes.js';
import { setupRoutes } from './setup.routes.js';
import { ticketRoutes } from './tickets.routes.js';
import { waitlistRoutes } from './waitlist.routes.js';

/** Every module's routes, in one list: the API surface and the OpenAPI document come from here. */
export function apiRoutes(container: DependencyContainer): RouteSpec<any, any, any>[] {
  return [
    ...memberRoutes(container),
    ...setupRoutes(container),
    ...admissionRoutes(container),
    ...catalogRoutes(container),
    ...saleRoutes(container),
    ...liveSaleRoutes(container),
    ...adminReservationRoutes(container),
    ...bookingRoutes(container),
    ...ticketRoutes(container),
    ...waitlistRoutes(container),
  ];
}
