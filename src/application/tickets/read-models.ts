/** The door's read model: tickets admitted, by show and gate. */
export const CHECKINS_PROJECTION = 'checkins';

/** The organizer's door alerts: forged codes scanned, by show and gate. */
export const FORGED_SCANS_PROJECTION = 'forged-scans';
