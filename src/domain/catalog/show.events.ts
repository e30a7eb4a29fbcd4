import type { DomainEvent } from '../shared/decider.js';

export interface SectionSpec {
  id: string;
  name: string;
  rows: number;
  seatsPerRow: number;
  /** Minor units of `currency`. */
  price: number;
}

export type Seating = { sections: SectionSpec[] } | { generalAdmission: { capacity: number; price: number } };

export interface QueueSettings {
  enabled: boolean;
  admitPerSecond: number;
  maxActive: number;
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
}

/** What PATCH may change; `salesCloseAt: null` removes the closing time. */
export interface SaleChanges {
  salesOpenAt?: string;
  salesCloseAt?: string | null;
  maxTicketsPerMember?: number;
  queue?: QueueSettings;
}

export type ShowScheduled = DomainEvent<'ShowScheduled', { showId: string; show: ShowDefinition; scheduledAt: string }>;
export type ShowSaleChanged = DomainEvent<'ShowSaleChanged', { showId: string; changes: SaleChanges; changedAt: string }>;

export type ShowEvent = ShowScheduled | ShowSaleChanged;
