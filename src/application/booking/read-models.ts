/** Names of the booking read models (projections), for read-your-writes waits. */
export const SHOWS_PROJECTION = 'shows';
export const SEAT_MAP_PROJECTION = 'seat-map';
export const RESERVATIONS_PROJECTION = 'reservations';
export const SALES_PROJECTION = 'sales';

/** How long a write waits for its read model before answering anyway. */
export const READ_YOUR_WRITES_MS = 2000;
