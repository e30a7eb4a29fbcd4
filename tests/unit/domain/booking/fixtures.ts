import type { ShowDefinition, ShowScheduled } from '../../../../src/domain/catalog/show.events.js';

export const SHOW_ID = '11111111-2222-4333-8444-555555555555';
export const MEMBER = 'member-1';
export const OPEN = new Date('2026-12-01T10:00:00.000Z');
export const LATER = (seconds: number) => new Date(OPEN.getTime() + seconds * 1000);

export function reservedShow(overrides: Partial<ShowDefinition> = {}): ShowDefinition {
  return {
    title: 'Hot show',
    venue: 'Hall',
    startsAt: '2026-12-20T20:00:00.000Z',
    salesOpenAt: OPEN.toISOString(),
    maxTicketsPerMember: 4,
    currency: 'EUR',
    seating: {
      sections: [
        { id: 'A', name: 'Stalls', rows: 2, seatsPerRow: 3, price: 5000 },
        { id: 'B', name: 'Circle', rows: 1, seatsPerRow: 4, price: 3000 },
      ],
    },
    queue: { enabled: false, admitPerSecond: 10, maxActive: 100 },
    ...overrides,
  };
}

export function poolShow(capacity: number, overrides: Partial<ShowDefinition> = {}): ShowDefinition {
  return reservedShow({ seating: { generalAdmission: { capacity, price: 2000 } }, ...overrides });
}

export function scheduled(show: ShowDefinition): ShowScheduled {
  return { type: 'ShowScheduled', data: { showId: SHOW_ID, show, scheduledAt: '2026-11-01T00:00:00.000Z' } };
}
