import type { Decider } from '../shared/decider.js';
import { InvalidShow, ShowAlreadyScheduled, ShowNotFound, UnsafeChange } from './catalog.errors.js';
import type { ChangeShowSale, RunSale, ScheduleShow, ShowCommand } from './show.commands.js';
import { runSaleChanges } from './run-sale.js';
import type { SaleChanges, ShowDefinition, ShowEvent } from './show.events.js';
import { checkSectionLayout } from './section-layout.rules.js';
import { inventoryParts, type InventoryPart } from './show-layout.js';

export type ShowState = { exists: false } | { exists: true; showId: string; show: ShowDefinition; parts: InventoryPart[] };

export const showDecider: Decider<ShowState, ShowCommand, ShowEvent> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'ShowScheduled':
        return { exists: true, showId: event.data.showId, show: event.data.show, parts: inventoryParts(event.data.show) };
      case 'ShowSaleChanged':
        return state.exists ? { ...state, show: applyChanges(state.show, event.data.changes) } : state;
      default: {
        const never: never = event;
        return never;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'ScheduleShow':
        return schedule(command, state);
      case 'ChangeShowSale':
        return change(command, state);
      case 'RunSale':
        return runSale(command, state);
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

function schedule(command: ScheduleShow, state: ShowState): ShowEvent[] {
  if (state.exists) throw new ShowAlreadyScheduled(command.showId);
  checkDefinition(command.show);
  if ('sections' in command.show.seating) {
    const ids = command.show.seating.sections.map((s) => s.id.toUpperCase());
    if (new Set(ids).size !== ids.length) throw new InvalidShow('Section ids must be distinct (case does not count)', 'seating.sections');
    command.show.seating.sections.forEach(checkSectionLayout);
  }
  return [{ type: 'ShowScheduled', data: { showId: command.showId, show: command.show, scheduledAt: command.now.toISOString() } }];
}

function runSale(command: RunSale, state: ShowState): ShowEvent[] {
  if (!state.exists) throw new ShowNotFound(command.showId);
  const changes = runSaleChanges(command, state.show);
  if (!changes) return [];
  checkDefinition(applyChanges(state.show, changes));
  const { showId, by, now } = command;
  return [{ type: 'ShowSaleChanged', data: { showId, changes, changedAt: now.toISOString(), by, action: command.control.action } }];
}

function change(command: ChangeShowSale, state: ShowState): ShowEvent[] {
  if (!state.exists) throw new ShowNotFound(command.showId);
  const current = state.show;
  // a settings change leaves a pause where it is: only the run-the-sale controls pause and resume
  const changes =
    command.changes.queue && current.queue.paused !== undefined
      ? { ...command.changes, queue: { ...command.changes.queue, paused: current.queue.paused } }
      : command.changes;
  const opened = command.now.getTime() >= Date.parse(current.salesOpenAt);
  if (opened) {
    if (changes.salesOpenAt !== undefined && Date.parse(changes.salesOpenAt) !== Date.parse(current.salesOpenAt)) {
      throw new UnsafeChange('salesOpenAt', 'sales have opened');
    }
    if (changes.maxTicketsPerMember !== undefined && changes.maxTicketsPerMember < current.maxTicketsPerMember) {
      throw new UnsafeChange('maxTicketsPerMember', 'members may already hold the old limit; it can only go up');
    }
    if (changes.queue !== undefined && changes.queue.enabled !== current.queue.enabled) {
      throw new UnsafeChange('queue.enabled', 'people are already buying or waiting under the current setting');
    }
  }
  checkDefinition(applyChanges(current, changes));
  const by = command.by === undefined ? {} : { by: command.by };
  return [
    { type: 'ShowSaleChanged', data: { showId: command.showId, changes, changedAt: command.now.toISOString(), ...by, action: 'change' } },
  ];
}

function checkDefinition(show: ShowDefinition): void {
  const opens = Date.parse(show.salesOpenAt);
  const starts = Date.parse(show.startsAt);
  if (!(opens < starts)) throw new InvalidShow('salesOpenAt must be before startsAt', 'salesOpenAt');
  if (show.salesCloseAt !== undefined) {
    const closes = Date.parse(show.salesCloseAt);
    if (!(closes > opens && closes <= starts)) {
      throw new InvalidShow('salesCloseAt must be after salesOpenAt and no later than startsAt', 'salesCloseAt');
    }
  }
}

export function applyChanges(show: ShowDefinition, changes: SaleChanges): ShowDefinition {
  const next: ShowDefinition = { ...show };
  if (changes.salesOpenAt !== undefined) next.salesOpenAt = changes.salesOpenAt;
  if (changes.salesCloseAt === null) delete next.salesCloseAt;
  else if (changes.salesCloseAt !== undefined) next.salesCloseAt = changes.salesCloseAt;
  if (changes.maxTicketsPerMember !== undefined) next.maxTicketsPerMember = changes.maxTicketsPerMember;
  if (changes.queue !== undefined) next.queue = changes.queue;
  return next;
}

/** Sales are open from salesOpenAt until salesCloseAt, and never after the show starts. */
export function salesOpen(show: ShowDefinition, now: Date): boolean {
  const t = now.getTime();
  const closes = Math.min(show.salesCloseAt ? Date.parse(show.salesCloseAt) : Infinity, Date.parse(show.startsAt));
  return t >= Date.parse(show.salesOpenAt) && t < closes;
}

export const showStreamId = (showId: string) => `show-${showId}`;
