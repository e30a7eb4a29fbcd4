/** The door's read model: tickets admitted, by show and gate. */
export const CHECKINS_PROJECTION = 'checkins';
