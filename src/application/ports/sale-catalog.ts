/** What the waiting room needs to know about a show's sale (read from the catalogue's read model). */
export interface SaleSettings {
  showId: string;
  salesOpenAt: Date;
  salesCloseAt?: Date;
  queue: { enabled: boolean; admitPerSecond: number; maxActive: number; paused?: boolean };
  /** Tickets still available (not held, not sold). */
  remaining: number;
}

export interface SaleCatalog {
  saleSettings(showId: string): Promise<SaleSettings | undefined>;
}
