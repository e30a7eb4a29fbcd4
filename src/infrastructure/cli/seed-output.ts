/** What `onsale seed` writes for load runs (k6 reads the same file with open()). */
export interface SeedOutput {
  version: 1;
  createdAt: string;
  /** The one password every seeded member has: load-test data, never real accounts. */
  password: string;
  members: SeedMember[];
  shows: SeedShow[];
}

export interface SeedMember {
  id: string;
  email: string;
  accessToken: string;
}

export type ShowKind = 'reserved' | 'reserved-queue' | 'general' | 'general-queue';

export interface SeedShow {
  kind: ShowKind;
  id: string;
  title: string;
  seating: 'reserved' | 'general';
  /** Tickets for sale: seats of a reserved show, the pool of a general-admission one. */
  capacity: number;
  /** Seat ids of a reserved show (`<section>-<row>-<number>`); empty for general admission. */
  seats: string[];
  maxTicketsPerMember: number;
  queue: { enabled: boolean; admitPerSecond: number; maxActive: number };
}
