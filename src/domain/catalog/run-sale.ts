import { SaleControlRefused } from './catalog.errors.js';
import type { RunSale } from './show.commands.js';
import type { SaleChanges, ShowDefinition } from './show.events.js';

/** Where a show's sale stands, as an organizer names it. */
export type SaleState = 'scheduled' | 'on-sale' | 'paused' | 'sold-out' | 'closed';

export function saleState(show: ShowDefinition, remaining: number, now: Date): SaleState {
  const t = now.getTime();
  if (t < Date.parse(show.salesOpenAt)) return 'scheduled';
  const closes = Math.min(show.salesCloseAt ? Date.parse(show.salesCloseAt) : Infinity, Date.parse(show.startsAt));
  if (t >= closes) return 'closed';
  if (remaining <= 0) return 'sold-out';
  return show.queue.enabled && show.queue.paused ? 'paused' : 'on-sale';
}

/**
 * The changes one control makes to the show as it stands, or none when it is in that state
 * already (opening a sale that is open). Refused where the control cannot apply.
 */
export function runSaleChanges({ control, now }: RunSale, show: ShowDefinition): SaleChanges | undefined {
  const t = now.getTime();
  const opened = t >= Date.parse(show.salesOpenAt);
  const closed = opened && show.salesCloseAt !== undefined && t >= Date.parse(show.salesCloseAt);
  if (t >= Date.parse(show.startsAt)) throw new SaleControlRefused(control.action, 'the show has started');
  switch (control.action) {
    case 'open-now':
      if (!opened) return { salesOpenAt: now.toISOString() };
      if (!closed) return undefined;
      // the waiting room closed for good when the sale closed (its members were sent away)
      if (show.queue.enabled) throw new SaleControlRefused(control.action, 'a sale with a waiting room does not reopen once closed');
      return { salesCloseAt: null };
    case 'close-now':
      if (!opened) throw new SaleControlRefused(control.action, 'sales have not opened (change salesOpenAt instead)');
      return closed ? undefined : { salesCloseAt: now.toISOString() };
    case 'pause-admissions':
    case 'resume-admissions': {
      if (!show.queue.enabled) throw new SaleControlRefused(control.action, 'the show has no waiting room (close sales instead)');
      const paused = control.action === 'pause-admissions';
      return Boolean(show.queue.paused) === paused ? undefined : { queue: { ...show.queue, paused } };
    }
    case 'set-admission': {
      const queue = { ...show.queue, ...definedOnly({ admitPerSecond: control.admitPerSecond, maxActive: control.maxActive }) };
      return queue.admitPerSecond === show.queue.admitPerSecond && queue.maxActive === show.queue.maxActive ? undefined : { queue };
    }
    default: {
      const never: never = control;
      return never;
    }
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
