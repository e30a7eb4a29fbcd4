import type { DomainEvent } from '../shared/decider.js';

export interface SectionSpec {
  id: string;
  name: string;
  rows: number;
  seatsPerRow: number;
  /** Minor units of `currency`. */
  price: number;
  /** 1 is the best; sections of equal rank compete on their seats' quality. Default: dearest first. */
  rank?: number;
  /** Where the stage is: quality falls with the distance from it. Default: row 1, the middle of the row. */
  focal?: { row: number; seat: number };
  /** Seat quality overrides, `"<row>-<seat>": score` (lower is better; see docs/booking.md). */
  seatQuality?: Record<string, number>;
  /** An aisle after each of these seat numbers, in every row: seats either side are not together. */
  aisles?: number[];
  /** Wheelchair places and companion seats (`"<row>-<seat>"`): best available hands them out only when asked. */
  wheelchair?: string[];
  companions?: string[];
  /** Seats left out (a pillar, a camera platform, a seat sold elsewhere), `"<row>-<seat>"`: never for sale, not counted. */
  blocked?: string[];
}

/** What a hand-picked hold that would strand a single seat gets. */
export type OrphanRule = 'off' | 'warn' | 'refuse';

export type Seating = { sections: SectionSpec[] } | { generalAdmission: { capacity: number; price: number } };

export interface QueueSettings {
  enabled: boolean;
  admitPerSecond: number;
  maxActive: number;
  /** The organizer paused admissions: people keep their places, nobody new is let in. Absent: false. */
  paused?: boolean;
}

/** Everything an admin states about a show; times are ISO-8601 strings. */
export interface ShowDefinition {
  title: string;
  venue: string;
  startsAt: string;
  salesOpenAt: string;
  salesCloseAt?: string;
  maxTicketsPerMember: number;
  currency: string;
  seating: Seating;
  queue: QueueSettings;
  /** Hand-picked holds that strand a single seat; absent is `off`. */
  orphanSeats?: OrphanRule;
}

/** What PATCH may change; `salesCloseAt: null` removes the closing time. */
export interface SaleChanges {
  salesOpenAt?: string;
  salesCloseAt?: string | null;
  maxTicketsPerMember?: number;
  queue?: QueueSettings;
}

export type ShowScheduled = DomainEvent<'ShowScheduled', { showId: string; show: ShowDefinition; scheduledAt: string }>;
/** What the organizer did: a change of the show's settings, or one of the run-the-sale controls. */
export type SaleAction = 'change' | 'open-now' | 'pause-admissions' | 'resume-admissions' | 'set-admission' | 'close-now';

/** `by` (the admin's member id) and `action` are absent on changes recorded before they existed. */
export type ShowSaleChanged = DomainEvent<
  'ShowSaleChanged',
  { showId: string; changes: SaleChanges; changedAt: string; by?: string; action?: SaleAction }
>;

export type ShowEvent = ShowScheduled | ShowSaleChanged;
