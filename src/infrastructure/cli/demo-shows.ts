import type { ShowDefinition } from '../../domain/catalog/show.events.js';

export const DEMO_VENUE = 'onsale Demo Hall';
export const DEMO_ADMIN_EMAIL = 'admin@demo.onsale.test';
export const DEMO_BUYER_EMAIL = 'buyer@demo.onsale.test';

const day = 86_400_000;
const at = (now: Date, offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

/**
 * The demo's shows: reserved seating on sale now (three sections, aisles, wheelchair places),
 * general admission on sale now, and a big reserved show behind the waiting room whose sale opens
 * a minute after `now`.
 */
export function demoShows(now: Date): ShowDefinition[] {
  return [
    {
      title: 'String Quartet Night',
      venue: DEMO_VENUE,
      startsAt: at(now, 14 * day),
      salesOpenAt: at(now, -60_000),
      maxTicketsPerMember: 4,
      currency: 'KRW',
      seating: {
        sections: [
          {
            id: 'F',
            name: 'Floor',
            rows: 8,
            seatsPerRow: 20,
            price: 99_000,
            aisles: [5, 15],
            wheelchair: ['8-1', '8-20'],
            companions: ['8-2', '8-19'],
          },
          { id: 'L', name: 'Balcony Left', rows: 4, seatsPerRow: 8, price: 66_000, focal: { row: 0, seat: 9 } },
          { id: 'R', name: 'Balcony Right', rows: 4, seatsPerRow: 8, price: 66_000, focal: { row: 0, seat: 0 } },
        ],
      },
      queue: { enabled: false, admitPerSecond: 50, maxActive: 200 },
      orphanSeats: 'warn',
    },
    {
      title: 'Indie Rock Festival (standing)',
      venue: DEMO_VENUE,
      startsAt: at(now, 21 * day),
      salesOpenAt: at(now, -60_000),
      maxTicketsPerMember: 6,
      currency: 'KRW',
      seating: { generalAdmission: { capacity: 800, price: 55_000 } },
      queue: { enabled: false, admitPerSecond: 50, maxActive: 200 },
    },
    {
      title: 'Arena Tour: the big on-sale',
      venue: DEMO_VENUE,
      startsAt: at(now, 30 * day),
      salesOpenAt: at(now, 60_000),
      maxTicketsPerMember: 4,
      currency: 'KRW',
      seating: {
        sections: ['A', 'B', 'C', 'D'].map((id, i) => ({
          id,
          name: `Section ${id}`,
          rows: 20,
          seatsPerRow: 25,
          price: 154_000 - i * 22_000,
        })),
      },
      queue: { enabled: true, admitPerSecond: 5, maxActive: 20 },
    },
  ];
}
