import type { SaleChanges, ShowDefinition } from './show.events.js';

export interface ScheduleShow {
  type: 'ScheduleShow';
  showId: string;
  show: ShowDefinition;
  now: Date;
}

export interface ChangeShowSale {
  type: 'ChangeShowSale';
  showId: string;
  changes: SaleChanges;
  now: Date;
  /** The admin's member id. */
  by?: string;
}

/** The run-the-sale controls, effective at once. */
export type SaleControl =
  | { action: 'open-now' }
  | { action: 'pause-admissions' }
  | { action: 'resume-admissions' }
  | { action: 'set-admission'; admitPerSecond?: number; maxActive?: number }
  | { action: 'close-now' };

export interface RunSale {
  type: 'RunSale';
  showId: string;
  control: SaleControl;
  now: Date;
  by: string;
}

export type ShowCommand = ScheduleShow | ChangeShowSale | RunSale;
