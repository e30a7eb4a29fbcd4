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
}

export type ShowCommand = ScheduleShow | ChangeShowSale;
